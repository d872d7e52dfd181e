// The home page of a visitor who is not signed in: what the portal is, the latest adopted news and
// the latest published notices (public columns only).
import { Link } from "~/components/link";
import { shanghaiDate } from "~/domain/time";

export interface PublicLatest {
  news: Array<{ id: number; title: string; unitName: string; adoptedAt: string | null }>;
  notices: Array<{ id: number; title: string; href: string; docNumber: string | null; publishedAt: string | null }>;
}

/** One card of links: a title, the entries (each with a muted note), and the way to all of them. */
function LatestCard({ id, title, empty, entries, allHref, allLabel }: {
  id: string;
  title: string;
  empty: string;
  entries: Array<{ key: number; href: string; title: string; note: string | null; at: string | null }>;
  allHref: string;
  allLabel: string;
}) {
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {entries.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="link-list">
          {entries.map((e) => (
            <li key={e.key}>
              <Link to={e.href}>{e.title}</Link>
              <span className="muted small">
                {e.note ? ` ${e.note}` : null}
                {/* The date never breaks across lines ("2026-12-" / "06"). */}
                {e.at ? <> · <span className="nowrap">{shanghaiDate(e.at)}</span></> : null}
              </span>
            </li>
          ))}
        </ul>
      )}
      <p className="small">
        <Link to={allHref} className="tap-target">{allLabel}</Link>
      </p>
    </section>
  );
}

export function PublicHome({ latest }: { latest: PublicLatest }) {
  return (
    <>
      <section className="card">
        <h1>教育信息报送平台</h1>
        <p>
          {"全县各学校、幼儿园的信息员在这里报送本单位的教育新闻信息，经学校审核签发、教体局办公室审核采用后发布，"}
          {"每月按任务数统计完成情况并通报。"}
        </p>
        <div className="button-row">
          <Link className="button" to="/login">
            登录报送
          </Link>
        </div>
      </section>
      <div className="public-home">
        <LatestCard
          id="latest-news-title" title="最新信息" empty="暂无已采用的信息。" allHref="/news" allLabel="查看全部信息 →"
          entries={latest.news.map((n) => ({ key: n.id, href: `/news/${n.id}`, title: n.title, note: n.unitName, at: n.adoptedAt }))}
        />
        <LatestCard
          id="latest-notices-title" title="最新通报" empty="暂无已签发的通报。" allHref="/notices" allLabel="查看全部通报 →"
          entries={latest.notices.map((n) => ({ key: n.id, href: n.href, title: n.title, note: n.docNumber, at: n.publishedAt }))}
        />
      </div>
    </>
  );
}
