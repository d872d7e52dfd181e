// /admin, the address an admin types: on to 系统设置. Others are sent to sign in, or refused on the
// portal's own error page, as on every other admin page.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requirePermission } from "~/lib/session.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "admin.settings");
  return redirect("/admin/settings");
}

// Never shown: the loader redirects or refuses; the refusal is the root's error page.
export default function AdminIndex() {
  return null;
}
