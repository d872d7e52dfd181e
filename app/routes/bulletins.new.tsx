// /bulletins/new: starts the next issue as a draft (the suggested number of this year, the
// county's bulletin name, the office as 编印单位, today), then the editor opens.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { SubmitRow } from "~/components/form-kit";
import { defaultBulletinName, issueTitle } from "~/domain/bulletins";
import { shanghaiDate } from "~/domain/time";
import { actorOf, refused } from "~/lib/action-data.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { badRequest, readForm } from "~/lib/form.server";
import { requirePermission } from "~/lib/session.server";
import { createBulletin, suggestIssueNumber } from "~/models/bulletins.server";
import { currentBureauNames } from "~/models/settings.server";

export const meta: MetaFunction = () => [{ title: "编辑新一期简报 - 教育信息报送平台" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "bulletin.edit");
  const year = Number(shanghaiDate(new Date()).slice(0, 4));
  const [number, names] = await Promise.all([suggestIssueNumber(context.dbs.reader, year), currentBureauNames(context.dbs.reader)]);
  return { title: issueTitle(defaultBulletinName(names.countyName), number), year, office: names.office };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "bulletin.edit");
  const form = await readForm(request);
  if (String(form.get("intent") ?? "") !== "create") return badRequest("未知的操作，请刷新页面后重试。");
  const result = await createBulletin(context.dbs.db, actorOf(user, context));
  if (!result.ok) return refused(result, { intent: "create", form });
  return redirectWithFlash(`/bulletins/${result.id}/edit`, "已新建简报草稿，请选取已采用的稿件");
}

export default function NewBulletin() {
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <p className="breadcrumb">
        <Link to="/bulletins">简报</Link> › 编辑新一期
      </p>
      <div className="page-head">
        <h1>编辑新一期简报</h1>
      </div>
      <Form method="post" className="card stack" aria-label="新建简报">
        <input type="hidden" name="intent" value="create" />
        <p>
          将新建 <strong>{d.title}</strong> 的草稿（{d.year} 年已签发的最大期号加 1），编印单位为“{d.office}”。期号、名称、日期和分送范围都可以在编辑页修改。
        </p>
        <SubmitRow label="新建草稿" back={{ to: "/bulletins", label: "返回" }} />
      </Form>
    </>
  );
}
