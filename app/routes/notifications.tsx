import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { PagedList } from "~/components/pager";
import { notificationLinkText } from "~/domain/reminders";
import { formatShanghai } from "~/domain/time";
import { redirectWithFlash } from "~/lib/flash.server";
import { badRequest, readForm } from "~/lib/form.server";
import { pageParam } from "~/lib/query";
import { notFound, requireUser, safeRedirect } from "~/lib/session.server";
import { listNotificationsPage, markAllNotificationsRead, markNotificationRead } from "~/models/notifications.server";
import { parseId } from "~/domain/fields";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data && data.list.unread > 0 ? `(${data.list.unread}) ` : ""}通知 - 教育信息报送平台` },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const page = pageParam(new URL(request.url).searchParams);
  const list = await listNotificationsPage(context.dbs.reader, user.id, { page });
  return { list, page };
}

/** Back to the page of the list the person was on. */
function listHref(request: Request): string {
  const page = pageParam(new URL(request.url).searchParams);
  return page > 1 ? `/notifications?page=${page}` : "/notifications";
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  if (intent === "read") {
    const id = parseId(form.get("id")) ?? notFound("该通知不存在。");
    const result = await markNotificationRead(context.dbs.db, user.id, id);
    if (!result.found) notFound("该通知不存在。");
    // "查看" marks it read and goes on to what it is about, so no JavaScript is needed for either.
    if (form.get("go") === "1" && result.target) return redirect(safeRedirect(result.target, "/notifications"));
    return redirect(listHref(request));
  }
  if (intent === "read_all") {
    const n = await markAllNotificationsRead(context.dbs.db, user.id);
    return redirectWithFlash(listHref(request), n > 0 ? `已将 ${n} 条通知标为已读` : "没有未读通知");
  }
  return badRequest("未知的操作，请刷新页面后重试。");
}

export default function Notifications() {
  const { list, page } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <h1>通知</h1>
        <div className="button-row">
          <span className="muted">{list.unread > 0 ? `${list.unread} 条未读` : "没有未读通知"}</span>
          {list.unread > 0 ? (
            <Form method="post">
              <input type="hidden" name="intent" value="read_all" />
              <button type="submit" className="button--secondary button--small">
                全部标为已读
              </button>
            </Form>
          ) : null}
        </div>
      </div>
      <PagedList list={list} page={page} empty="还没有通知。稿件被签发、退回、采用或撤稿时，会在这里告诉您。">
        <ul className="notice-list">
          {list.rows.map((n) => {
            const unread = n.read_at === null;
            return (
              <li key={n.id} className={unread ? "notice notice--unread" : "notice"}>
                <div className="notice__head">
                  {unread ? <span className="badge badge--warn">未读</span> : null}
                  <strong className="notice__title">{n.title}</strong>
                </div>
                {n.body ? <p className="notice__body">{n.body}</p> : null}
                <div className="notice__foot">
                  <time dateTime={n.created_at} className="muted small">
                    {formatShanghai(n.created_at)}
                  </time>
                  {unread ? (
                    <Form method="post" className="notice__actions">
                      <input type="hidden" name="intent" value="read" />
                      <input type="hidden" name="id" value={n.id} />
                      {n.target ? (
                        <button type="submit" name="go" value="1" className="button--small">
                          {notificationLinkText(n.kind)}
                        </button>
                      ) : null}
                      <button type="submit" name="go" value="0" className="button--secondary button--small">
                        标为已读
                      </button>
                    </Form>
                  ) : n.target ? (
                    <Link to={n.target}>{notificationLinkText(n.kind)}</Link>
                  ) : null}
                </div>
              </li>
            );
          })}
        </ul>
      </PagedList>
    </>
  );
}
