// GET /photos/:id: the stored photo, to whoever may see its item; everyone else is told it does not exist.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { servePhoto } from "~/lib/photo-response.server";
import { resourceLoader } from "~/lib/resource-route.server";

export const loader = resourceLoader(({ request, context, params }: LoaderFunctionArgs) => servePhoto(request, context, params.id, "photo"));
