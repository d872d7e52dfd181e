import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { FilterBar } from "~/components/filter-bar";
import { PagedList } from "~/components/pager";
import { Marked, SearchSummary } from "~/components/search-hits";
import { planSearch, searchNote, SEARCH_MAX } from "~/domain/search";
import { monthLabel, shanghaiDate } from "~/domain/time";
import { bureauNamesIn, useBureauNames } from "~/lib/bureau-names";
import { param, readQuery } from "~/lib/query";
import { pickUnit, unitFilterView } from "~/domain/unit-pick";
import { listNews, newsFilterOptions } from "~/models/news.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const category = data?.options.categories.find((c) => c.id === data.filters.category)?.name;
  const unit = data?.unitFilter.mode === "search" ? data.unitFilter.chosen?.name : data?.unitFilter.units.find((u) => u.id === data.filters.unit)?.name;
  const channel = data?.options.channels.find((c) => c.id === data.filters.channel)?.name;
  const month = data?.filters.month ? monthLabel(data.filters.month) : undefined;
  const scope = [data?.filters.q ? `“${data.filters.q}”` : undefined, unit, category, channel, month].filter(Boolean).join(" · ");
  return [
    { title: `${scope ? `${scope} - ` : ""}信息公开 - 教育信息报送平台` },
    { name: "description", content: `全县各学校、幼儿园经${bureauNamesIn(matches).bureauName}审核采用的教育信息。` },
  ];
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const db = context.dbs.reader;
  const { units, ...options } = await newsFilterOptions(db);
  const params = new URL(request.url).searchParams;
  // The unit is an id (the portal's links) or a name typed into the unit search box.
  const unitPick = pickUnit(units, params.get("unit") ?? undefined);
  // An unknown category, channel, unit or month in the URL is ignored rather than answered with an empty page.
  const query = readQuery(params, {
    q: param.text(SEARCH_MAX),
    category: param.id(options.categories.map((c) => c.id)),
    channel: param.id(options.channels.map((c) => c.id)),
    month: param.month(options.months),
    page: param.page(),
  });
  const search = planSearch(query.q);
  const list = await listNews(db, {
    categoryId: query.category, channelId: query.channel, unitId: unitPick.unit?.id, month: query.month, search, page: query.page,
  });
  return {
    list,
    page: query.page,
    options,
    unitFilter: unitFilterView(units, unitPick),
    note: searchNote(search),
    filters: {
      category: query.category ?? null, unit: unitPick.unit?.id ?? null, channel: query.channel ?? null, month: query.month ?? null,
      q: search ? query.q : "",
    },
  };
}

export default function NewsIndex() {
  const { list, page, options, unitFilter, filters, note } = useLoaderData<typeof loader>();
  const names = useBureauNames();
  return (
    <>
      <div className="page-head">
        <h1>信息公开</h1>
        <span className="muted">{names.bureauName}审核采用的各校教育信息</span>
      </div>
      <FilterBar
        values={filters}
        clearHref="/news"
        fields={[
          { type: "search", name: "q", label: "关键词", placeholder: "标题或正文中的字词", maxLength: SEARCH_MAX },
          { name: "category", label: "栏目", all: "全部栏目", options: options.categories.map((c) => ({ value: c.id, label: c.name })) },
          { name: "channel", label: "频道", all: "全部频道", options: options.channels.map((c) => ({ value: c.id, label: c.name })) },
          {
            type: "unit", name: "unit", label: "单位", all: "全部单位", view: unitFilter,
            options: unitFilter.mode === "select" ? unitFilter.units.map((u) => ({ value: u.id, label: u.name })) : undefined,
          },
          { name: "month", label: "月份", all: "全部月份", options: options.months.map((m) => ({ value: m, label: monthLabel(m) })) },
        ]}
      />
      <SearchSummary note={note} q={filters.q} total={list.total} counter="条" />
      <PagedList list={list} page={page} empty="暂无符合条件的信息。">
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
                  <Link to={`/news/${n.id}`}>{n.marks ? <Marked segments={n.marks.title} /> : n.title}</Link>
                </h2>
                <p className="news-card__meta">
                  <span>{n.unit_name}</span>
                  <span>{n.category}</span>
                  {n.adopted_at ? <time dateTime={n.adopted_at}>{shanghaiDate(n.adopted_at)}</time> : null}
                </p>
                {n.marks ? (
                  <p className="news-card__excerpt">
                    <Marked segments={n.marks.excerpt} />
                  </p>
                ) : n.excerpt ? (
                  <p className="news-card__excerpt">{n.excerpt}</p>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      </PagedList>
    </>
  );
}
