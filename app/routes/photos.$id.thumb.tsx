// GET /photos/:id/thumb: a 480 px WebP of the photo, made on first request; same rule as the photo.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { servePhoto } from "~/lib/photo-response.server";
import { resourceLoader } from "~/lib/resource-route.server";

export const loader = resourceLoader(({ request, context, params }: LoaderFunctionArgs) => servePhoto(request, context, params.id, "thumb"));
