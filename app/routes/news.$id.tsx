import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, useLoaderData, useRouteError } from "@remix-run/react";
import { Link } from "~/components/link";
import { ItemBody, PhotoGrid } from "~/components/item-view";
import { shanghaiDate } from "~/domain/time";
import { notFound } from "~/lib/session.server";
import { excerptOf, getNewsItem } from "~/models/news.server";
import { parseId } from "~/domain/fields";

const GONE = "该信息已撤下或不存在。";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        { title: `${data.item.title} - 信息公开 - 教育信息报送平台` },
        { name: "description", content: data.description },
      ]
    : [{ title: "该信息已撤下或不存在 - 教育信息报送平台" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = parseId(params.id) ?? notFound(GONE);
  const news = await getNewsItem(context.dbs.reader, id);
  if (!news) notFound(GONE);
  return { ...news, description: excerptOf(news.item.body, 120) };
}

export default function NewsItem() {
  const { item, bylines, photos } = useLoaderData<typeof loader>();
  return (
    <article className="news-article">
      <p className="breadcrumb">
        <Link to="/news">信息公开</Link> › <Link to={`/news?category=${item.category_id}`}>{item.category}</Link>
      </p>
      <h1>{item.title}</h1>
      <p className="news-article__meta">
        <Link to={`/news?unit=${item.unit_id}`}>{item.unit_name}</Link>
        {item.adopted_at ? (
          <span>
            发布日期：<time dateTime={item.adopted_at}>{shanghaiDate(item.adopted_at)}</time>
          </span>
        ) : null}
        {bylines.length > 0 ? <span>作者：{bylines.join("、")}</span> : null}
      </p>
      <ItemBody body={item.body} />
      <PhotoGrid photos={photos} />
      <p>
        <Link to="/news" className="tap-target">← 返回信息公开</Link>
      </p>
    </article>
  );
}

/** A taken-down or unknown item: a polite page that leads back to the list. */
export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const gone = status === 404;
  return (
    <section className="error-page" role="alert">
      <p className="error-code">{status}</p>
      <h1>{gone ? "信息不存在" : "系统错误"}</h1>
      <p>{gone ? "该信息已撤下或不存在，感谢您的关注。" : "服务器出现错误，请稍后再试。"}</p>
      <p>
        <Link className="button" to="/news">
          浏览其他信息
        </Link>
      </p>
    </section>
  );
}
