// GET /photos/:id/thumb: a 480 px WebP of the photo, made on first request; same rule as the photo.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getConfig } from "~/models/env.server";
import { photoIdParam, photoNotFound, photoResponse } from "~/lib/photo-response.server";
import { getUser } from "~/lib/session.server";
import { findPhotoForViewer, photoThumbnail } from "~/models/photos.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const id = photoIdParam(params.id);
  if (id === null) return photoNotFound();
  const user = await getUser(request, context);
  const photo = await findPhotoForViewer(context.dbs.reader, user ? { role: user.role, unitId: user.unitId } : null, id);
  if (!photo.found) return photoNotFound();
  const bytes = await photoThumbnail(getConfig().dataDir, photo.sha256);
  if (!bytes) return photoNotFound();
  return photoResponse(request, bytes, { mime: "image/webp", etag: `${photo.sha256}-thumb`, adopted: photo.adopted });
}
