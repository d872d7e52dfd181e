import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { FilterBar } from "~/components/filter-bar";
import { Pager } from "~/components/pager";
import { shanghaiDate } from "~/domain/time";
import { bureauNamesIn, useBureauNames } from "~/lib/bureau-names";
import { param, readQuery } from "~/lib/query";
import { listNews, newsFilterOptions } from "~/models/news.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const category = data?.options.categories.find((c) => c.id === data.filters.category)?.name;
  const unit = data?.options.units.find((u) => u.id === data.filters.unit)?.name;
  const scope = [unit, category].filter(Boolean).join(" · ");
  return [
    { title: `${scope ? `${scope} - ` : ""}信息公开 - 教育信息报送平台` },
    { name: "description", content: `全县各学校、幼儿园经${bureauNamesIn(matches).bureauName}审核采用的教育信息。` },
  ];
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const db = context.dbs.reader;
  const options = await newsFilterOptions(db);
  // An unknown category or unit in the URL is ignored rather than answered with an empty page.
  const query = readQuery(new URL(request.url).searchParams, {
    category: param.id(options.categories.map((c) => c.id)),
    unit: param.id(options.units.map((u) => u.id)),
    page: param.page(),
  });
  const list = await listNews(db, { categoryId: query.category, unitId: query.unit, page: query.page });
  return { list, page: query.page, options, filters: { category: query.category ?? null, unit: query.unit ?? null } };
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
      <FilterBar
        values={filters}
        fields={[
          { name: "category", label: "栏目", all: "全部栏目", options: options.categories.map((c) => ({ value: c.id, label: c.name })) },
          { name: "unit", label: "单位", all: "全部单位", options: options.units.map((u) => ({ value: u.id, label: u.name })) },
        ]}
      />
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
