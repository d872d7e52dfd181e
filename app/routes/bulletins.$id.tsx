// /bulletins/:id: a published issue of the 简报 (public); a draft only for reviewers (others 404).
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { BulletinSheet } from "~/components/bulletin-view";
import { issueTitle } from "~/domain/bulletins";
import { parseId } from "~/domain/fields";
import { can } from "~/domain/permissions";
import { formatShanghai } from "~/domain/time";
import { getUser, notFound } from "~/lib/session.server";
import { getBulletin } from "~/models/bulletins.server";
import bulletinStyles from "~/styles/bulletins.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: bulletinStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} - 简报 - 教育信息报送平台` : "简报不存在 - 教育信息报送平台" }];

const MISSING = "没有这期简报，或它尚未签发。";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = parseId(params.id) ?? notFound(MISSING);
  const user = await getUser(request, context);
  const canEdit = can(user?.role, "bulletin.edit");
  const b = await getBulletin(context.dbs.reader, id, canEdit);
  if (!b) notFound(MISSING);
  const published = b.status === "published";
  return {
    id: b.id,
    title: issueTitle(b.name, b.number),
    status: b.status,
    publishedAt: b.published_at,
    canEdit,
    sheet: {
      name: b.name, number: b.number, editorUnit: b.editor_unit, issueDate: b.issue_date, editorNote: b.editor_note,
      reportTo: b.report_to, sendTo: b.send_to, issueTo: b.issue_to,
      items: b.items.map((i) => ({ itemId: i.itemId, title: i.title, body: i.body, unitName: published ? i.frozenUnitName : i.unitName })),
    },
  };
}

export default function BulletinPage() {
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <p className="breadcrumb">
        <Link to="/bulletins">简报</Link> › {d.title}
      </p>
      <div className="page-head">
        <h1>{d.title}</h1>
        {d.status === "published" ? (
          <span className="muted">签发于 {d.publishedAt ? formatShanghai(d.publishedAt) : "—"}</span>
        ) : (
          <span className="badge">草稿</span>
        )}
        <a href={`/bulletins/${d.id}.docx`} className="button button--secondary">
          {d.status === "published" ? "下载 Word" : "Word 预览"}
        </a>
        {d.canEdit && d.status === "draft" ? (
          <Link to={`/bulletins/${d.id}/edit`} className="button">
            编辑
          </Link>
        ) : null}
      </div>
      <BulletinSheet b={d.sheet} />
    </>
  );
}
