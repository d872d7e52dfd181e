// Which request bodies the server reads, before Remix sees them, and how much of them.
// A body is read only once the server knows the sender may send it. Forms (urlencoded, JSON…)
// are small: read whole, up to 1 MB from someone signed in (at most 4 MB still arriving for one
// account at once), before Remix sees them; without a session only the login form is read, up to
// 32 KB, and any other page answers from the session alone (formBodyLimit). Multipart carries files
// and is taken only by the pages that upload, only from an account allowed to write there, and only
// a few at a time; it reaches Remix as a stream that the action writes to disk as it arrives.
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";
import type { Kysely } from "kysely";
import { BODY_LIMITS, bodyLimitFor, formBodyLimit, isMultipart, isRead, uploadPermissionFor } from "~/lib/http.server";
import { ArrivingBytes, closeWhenUnread, plainError, readCappedBody, streamBody, tooLarge } from "~/lib/request-body.server";
import { accountAllowed, signedInUser } from "~/lib/session.server";
import type { Database } from "~/models/db.server";
import { UPLOAD_LIMITS, type UploadSlotGiver } from "~/models/limits.server";

/** The middleware that reads (or refuses) each write's body: forms whole, uploads as a stream. */
export function bodyGate(reader: Kysely<Database>, uploadSlots: UploadSlotGiver) {
  const arrivingForms = new ArrivingBytes(BODY_LIMITS.arrivingPerAccount);
  return (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    if (isRead(req.method)) return next();
    closeWhenUnread(req, res);
    const encoding = (req.headers["content-encoding"] ?? "identity").toLowerCase();
    if (encoding !== "identity") return plainError(res, 415, "不支持压缩的提交内容，请通过页面表单提交。");
    const type = req.headers["content-type"];
    const declared = Number(req.headers["content-length"] ?? "NaN");
    if (!isMultipart(type)) {
      return void (async () => {
        const sender = await signedInUser(req.headers.cookie ?? null, reader);
        const limit = formBodyLimit(req.path, !!sender);
        // Not signed in, and not the login form: Remix answers from the session, the body unread.
        if (limit === null) return next();
        if (Number.isFinite(declared) && declared > limit) return tooLarge(res, limit);
        // What one account has arriving at once is bounded too, however many connections it opens.
        const read = await readCappedBody(req, res, limit, sender ? arrivingForms.of(sender.id) : null);
        if (!read.ok) return;
        req.body = read.body;
        next();
      })().catch(next);
    }
    const limit = bodyLimitFor(type);
    const permission = uploadPermissionFor(req.path);
    if (!permission) return plainError(res, 415, "此页面不接受文件上传，请通过页面上的表单提交。");
    if (Number.isFinite(declared) && declared > limit) return tooLarge(res, limit);
    void (async () => {
      const uploader = await accountAllowed(req.headers.cookie ?? null, reader, permission);
      // Not signed in, or not allowed: Remix answers from the session alone (to the login page,
      // or 403) and the body is never read.
      if (!uploader) return next();
      const slot = await uploadSlots.take(uploader.id);
      if (!slot.ok) return plainError(res, slot.status, slot.message, { "Retry-After": String(UPLOAD_LIMITS.retryAfterSeconds) });
      // The sender may have given up while waiting for its turn.
      if (req.socket.destroyed) return slot.release();
      res.once("close", slot.release);
      res.locals.bodyStream = streamBody(req, res, limit);
      next();
    })().catch(next);
  };
}
