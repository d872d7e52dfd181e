import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Pager } from "~/components/pager";
import { shanghaiDate } from "~/domain/time";
import { bureauNamesIn, useBureauNames } from "~/lib/bureau-names";
import { pageParam } from "~/lib/query";
import { listNews, newsFilterOptions } from "~/models/news.server";
import { parseId } from "~/domain/fields";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const category = data?.options.categories.find((c) => c.id === data.filters.category)?.name;
  const unit = data?.options.units.find((u) => u.id === data.filters.unit)?.name;
  const scope = [unit, category].filter(Boolean).join(" · ");
  return [
    { title: `${scope ? `${scope} - ` : ""}信息公开 - 教育信息报送平台` },
    { name: "description", content: `全县各学校、幼儿园经${bureauNamesIn(matches).bureauName}审核采用的教育信息。` },
  ];
};

function idParam(value: string | null): number | undefined {
  return parseId(value) ?? undefined;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const db = context.dbs.reader;
  const options = await newsFilterOptions(db);
  // An unknown category or unit in the URL is ignored rather than answered with an empty page.
  const categoryId = options.categories.find((c) => c.id === idParam(params.get("category")))?.id;
  const unitId = options.units.find((u) => u.id === idParam(params.get("unit")))?.id;
  const page = pageParam(params);
  const list = await listNews(db, { categoryId, unitId, page });
  return { list, page, options, filters: { category: categoryId ?? null, unit: unitId ?? null } };
}

export default function NewsIndex() {
  const { list, page, options, filters } = useLoaderData<typeof loader>();
  const names = useBureauNames();
  return (
    <>
      <div className="page-head">
        <h1>信息公开</h1>
        <span className="muted">{names.bureauName}审核采用的各校教育信息</span>
      </div>
      <Form method="get" className="filters">
        <div className="field">
          <label htmlFor="category">栏目</label>
          <select id="category" name="category" defaultValue={filters.category ?? ""}>
            <option value="">全部栏目</option>
            {options.categories.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="unit">单位</label>
          <select id="unit" name="unit" defaultValue={filters.unit ?? ""}>
            <option value="">全部单位</option>
            {options.units.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button--secondary">
          筛选
        </button>
      </Form>
      {list.rows.length === 0 ? (
        <p className="card muted">暂无符合条件的信息。</p>
      ) : (
        <ul className="news-list">
          {list.rows.map((n) => (
            <li key={n.id} className="news-card">
              {n.photo_id ? (
                <Link to={`/news/${n.id}`} className="news-card__thumb" tabIndex={-1} aria-hidden="true">
                  <img src={`/photos/${n.photo_id}/thumb`} alt="" loading="lazy" width={160} height={120} />
                </Link>
              ) : null}
              <div className="news-card__text">
                <h2 className="news-card__title">
                  <Link to={`/news/${n.id}`}>{n.title}</Link>
                </h2>
                <p className="news-card__meta">
                  <span>{n.unit_name}</span>
                  <span>{n.category}</span>
                  {n.adopted_at ? <time dateTime={n.adopted_at}>{shanghaiDate(n.adopted_at)}</time> : null}
                </p>
                {n.excerpt ? <p className="news-card__excerpt">{n.excerpt}</p> : null}
              </div>
            </li>
          ))}
        </ul>
      )}
      <Pager page={page} pages={list.pages} total={list.total} />
    </>
  );
}
