// /register → this year's register (Asia/Shanghai), for those who may read one.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { registerScope } from "~/domain/register";
import { shanghaiDate } from "~/domain/time";
import { forbidden, requireUser } from "~/lib/session.server";
import { resourceLoader } from "~/lib/resource-route.server";

export const loader = resourceLoader(async ({ request, context }: LoaderFunctionArgs) => {
  const user = await requireUser(request, context);
  if (!registerScope({ role: user.role, unitId: user.unitId })) forbidden();
  return redirect(`/register/${shanghaiDate(new Date()).slice(0, 4)}`);
});
