import { pageRefusal } from "~/lib/session.server";
import { data } from "@remix-run/node";

// Anything no other route matches: the Chinese 404 page of the root error boundary.
export async function loader() {
  throw data(pageRefusal("您要找的页面不存在，请检查网址或返回首页。"), { status: 404 });
}

export async function action() {
  throw data(pageRefusal("您要找的页面不存在。"), { status: 404 });
}

export default function NotFound() {
  return null;
}
