// /bulletins/:id/publish (reviewers): 签发 confirmed on a page of its own — what will be frozen
// and made public (期号, name, date, the items and their units, the distribution), the pickups it
// will record at the configured tier, or why it cannot be signed yet. The POST publishes.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link";
import { FormError, formStateOf } from "~/components/form-kit";
import { ConfirmPublishButtons, FrozenOnPublish, PublishProblem } from "~/components/publish-confirm";
import { BULLETIN_OUTLET, dateText, distributionLines, isEdited, issueTitle } from "~/domain/bulletins";
import { TIERS, nameOf } from "~/domain/catalog";
import { bulletinAction, loadDraftBulletin, readDraftBulletinPost } from "~/lib/bulletin-actions.server";
import { bulletinPublishProblem } from "~/models/bulletin-publish.server";
import { getSetting } from "~/models/settings.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `签发${data?.title ?? "简报"} - 教育信息报送平台` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { db, b } = await loadDraftBulletin(request, context, params.id);
  const tier = await getSetting(db, "bulletinTier");
  return {
    id: b.id,
    version: b.version,
    title: issueTitle(b.name, b.number),
    date: dateText(b.issue_date),
    editorUnit: b.editor_unit,
    distribution: distributionLines({ reportTo: b.report_to, sendTo: b.send_to, issueTo: b.issue_to }),
    items: b.items.map((i) => ({ itemId: i.itemId, title: i.title, unitName: i.unitName, edited: isEdited(i) })),
    tierName: nameOf(TIERS, tier),
    problem: await bulletinPublishProblem(db, b, b.items),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, id, form } = await readDraftBulletinPost(request, context, params.id);
  return bulletinAction(context.dbs.db, { form, id, user, ip: context.ip, back: `/bulletins/${id}/publish`, intents: ["publish"] });
}

export default function ConfirmBulletinPublish() {
  const d = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const form = formStateOf(failure, "publish");
  const unitCount = new Set(d.items.map((i) => i.unitName)).size;
  return (
    <>
      <p className="breadcrumb">
        <Link to="/bulletins">简报</Link> › <Link to={`/bulletins/${d.id}/edit`}>{d.title}</Link> › 签发
      </p>
      <div className="page-head">
        <h1>签发{d.title}</h1>
      </div>
      <PublishProblem problem={d.problem} draftHref={`/bulletins/${d.id}/edit`} />
      <FrozenOnPublish note="签发后简报立即公开，内容和 Word 文件冻结，不能再修改。">
          <dt>期号</dt>
          <dd>{d.title}</dd>
          <dt>编印单位与日期</dt>
          <dd>
            {d.editorUnit} · {d.date}
          </dd>
          <dt>收录信息</dt>
          <dd>
            {d.items.length === 0 ? "（无）" : (
              <ol className="confirm-list" aria-label="收录的信息">
                {d.items.map((i) => (
                  <li key={i.itemId}>
                    {i.title} <span className="muted small">{i.unitName}{i.edited ? " · 已改写" : ""}</span>
                  </li>
                ))}
              </ol>
            )}
          </dd>
          <dt>分送</dt>
          <dd>{d.distribution.length ? d.distribution.join("；") : "（未填写）"}</dd>
          <dt>上稿</dt>
          <dd>
            为以上 {d.items.length} 条信息（{unitCount} 个单位）各登记一次上稿：{BULLETIN_OUTLET}（{d.tierName}），按积分规则计分，并通知所在单位。
          </dd>
      </FrozenOnPublish>
      <Form method="post" className="card stack" aria-label="确认签发">
        <input type="hidden" name="intent" value="publish" />
        <input type="hidden" name="version" value={d.version} />
        <FormError error={form.formError} />
        <ConfirmPublishButtons disabled={busy || d.problem !== null} backHref={`/bulletins/${d.id}/edit`} />
      </Form>
    </>
  );
}
