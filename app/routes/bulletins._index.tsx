// /bulletins: every published issue of the 简报, newest first, paged (public); reviewers also see
// the drafts and the way to start the next issue. Issue numbers start again each year, so the list
// names an issue with its year (《临溪县教育信息》2026年第1期); the issue itself and its Word file
// carry the year in the date line under the 报头.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { DataTable } from "~/components/data-table";
import { Pager } from "~/components/pager";
import { can } from "~/domain/permissions";
import { formatShanghai } from "~/domain/time";
import { bureauNamesIn, useBureauNames } from "~/lib/bureau-names";
import { param, readQuery } from "~/lib/query";
import { getUser } from "~/lib/session.server";
import { listBulletins } from "~/models/bulletins.server";
import bulletinStyles from "~/styles/bulletins.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: bulletinStyles }];

export const meta: MetaFunction = ({ matches }) => [
  { title: "简报 - 教育信息报送平台" },
  { name: "description", content: `${bureauNamesIn(matches).office}编印的教育信息简报。` },
];

/** An issue as the list names it: 《临溪县教育信息》2026年第1期. */
const listedTitle = (r: { name: string; year: number; number: number }) => `《${r.name}》${r.year}年第${r.number}期`;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getUser(request, context);
  const canEdit = can(user?.role, "bulletin.edit");
  const { page } = readQuery(new URL(request.url).searchParams, { page: param.page() });
  const list = await listBulletins(context.dbs.reader, { canEdit, page });
  return {
    canEdit,
    page: list.page,
    pages: list.pages,
    total: list.total,
    published: list.rows.map((r) => ({
      id: r.id, title: listedTitle(r), year: r.year, issueDate: r.issue_date, items: Number(r.itemCount ?? 0),
      publishedAt: r.published_at,
    })),
    drafts: list.drafts.map((r) => ({ id: r.id, title: listedTitle(r), updatedAt: r.updated_at })),
  };
}

export default function BulletinsIndex() {
  const d = useLoaderData<typeof loader>();
  const names = useBureauNames();
  return (
    <>
      <div className="page-head">
        <h1>简报</h1>
        <span className="muted">{names.office}编印的教育信息简报</span>
        {d.canEdit ? (
          <Link to="/bulletins/new" className="button">
            编辑新一期
          </Link>
        ) : null}
      </div>

      {d.canEdit && d.drafts.length > 0 ? (
        <section className="card" aria-labelledby="drafts-title">
          <h2 id="drafts-title">草稿</h2>
          <ul>
            {d.drafts.map((b) => (
              <li key={b.id}>
                <Link to={`/bulletins/${b.id}/edit`}>{b.title}</Link> <span className="muted small">最后修改 {formatShanghai(b.updatedAt)}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="card" aria-labelledby="published-title">
        <h2 id="published-title">已签发（{d.total} 期）</h2>
        {d.published.length === 0 ? (
          <p className="muted">还没有签发的简报。</p>
        ) : (
          <DataTable
            caption="已签发的简报"
            rows={d.published}
            rowKey={(r) => r.id}
            columns={[
              { header: "期号", primary: true, cell: (r) => <Link to={`/bulletins/${r.id}`}>{r.title}</Link> },
              { header: "印发日期", cell: (r) => r.issueDate },
              { header: "收录信息", numeric: true, cell: (r) => `${r.items} 条` },
              {
                header: "文件",
                cell: (r) => (
                  <a className="tap-target" href={`/bulletins/${r.id}.docx`} download aria-label={`下载 Word：${r.title}`}>
                    下载 Word
                  </a>
                ),
              },
            ]}
          />
        )}
        <Pager page={d.page} pages={d.pages} total={d.total} />
      </section>
    </>
  );
}
