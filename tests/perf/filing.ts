// The month's-end filing as the load test (loadtest.ts) and the CPU measure (cpu-per-request.ts)
// drive it: eight schools' correspondents submit items with a photo, each school's lead signs its
// items off, the reviewer adopts them. Each school files through its own accounts, as at a real
// month's end (with one account for all, the portal's limit of uploads per account held most
// virtual users waiting in the generator, not in the portal).
import sharp from "sharp";
import { Semaphore, UPLOAD_LIMITS } from "../../app/models/limits.server";
import { signInOverHttp } from "../e2e/support/portal";
import { dataUrl, loaderDataOf } from "../support/single-fetch";

export interface Answer {
  status: number;
  body: string;
  location: string | null;
}

/** One request of a kind (`type`, as the load test names it) with a session cookie; null when it failed. */
export type Send = (type: string, cookie: string, path: string, init?: RequestInit) => Promise<Answer | null>;

const FILING = {
  submit: "报送稿件（含图片，POST）",
  readBeforeSignOff: "签发前读取稿件（.data）",
  signOff: "领导签发（POST）",
  readBeforeReview: "审核前读取稿件（.data）",
  adopt: "审核采用（POST）",
} as const;

const WRITING_UNITS = ["x01", "x02", "x03", "x04", "x05", "x06", "x07", "x08"];

interface Writer {
  correspondent: string;
  lead: string;
  authorId: number;
  /** A person uploads a form at a time; the portal lets one account run UPLOAD_LIMITS.perAccount at once. */
  uploads: Semaphore;
}

interface ItemForm {
  options: { categories: Array<{ id: number }>; channels: Array<{ id: number }> };
  today: string;
  authorId: number;
}

async function smallJpeg(seed: number): Promise<Buffer> {
  return sharp({ create: { width: 320, height: 240, channels: 3, background: { r: (seed * 37) % 256, g: (seed * 91) % 256, b: (seed * 53) % 256 } } })
    .jpeg({ quality: 70 })
    .toBuffer();
}

/** The first `version` found in a loader's data (the item's optimistic-lock version). */
function versionIn(data: unknown): number | undefined {
  if (!data || typeof data !== "object") return undefined;
  const record = data as Record<string, unknown>;
  if (typeof record.version === "number") return record.version;
  for (const key of ["item", "view"]) {
    const v = versionIn(record[key]);
    if (v !== undefined) return v;
  }
  for (const value of Object.values(record)) {
    if (value && typeof value === "object" && !Array.isArray(value)) {
      const v = versionIn(value);
      if (v !== undefined) return v;
    }
  }
  return undefined;
}

/** The version in a `.data` answer's body for one route, if it came back with that route's data. */
async function versionFrom(answer: Answer | null, routeId: string): Promise<number | undefined> {
  if (answer?.status !== 200) return undefined;
  return versionIn(await loaderDataOf(new Response(answer.body), routeId));
}

export class Filing {
  /** Items submitted and not signed off yet; then waiting for review. */
  readonly toSignOff: Array<{ id: number; writer: Writer }> = [];
  readonly toReview: number[] = [];
  submissions = 0;
  // The portal runs UPLOAD_LIMITS.overall uploads at once for everyone and per account fewer (a few
  // more wait, the rest get 429 or 503 by design). The generator keeps to both limits so that a
  // refusal the load sees is a real fault.
  readonly #uploads = new Semaphore(UPLOAD_LIMITS.overall);

  private constructor(
    /** The portal's origin, sent with each form post as a browser does (a signed-in write that names no page is refused). */
    private readonly origin: string,
    private readonly send: Send,
    private readonly reviewer: string,
    private readonly writers: Writer[],
    private readonly form: { categoryId: number; channelId: number; today: string },
    /** A submission redirected somewhere other than the new item's page. */
    private readonly unexpected: (type: string, message: string) => void,
  ) {}

  /** The schools' accounts signed in (demo password), their form's choices read. */
  static async prepare(options: {
    base: string;
    reviewer: string;
    send: Send;
    unexpected: (type: string, message: string) => void;
  }): Promise<Filing> {
    const formOf = async (cookie: string): Promise<ItemForm> =>
      loaderDataOf<ItemForm>(await fetch(`${options.base}${dataUrl("/items/new", "routes/items.new")}`, { headers: { Cookie: cookie } }), "routes/items.new");
    const writers: Writer[] = [];
    let form: ItemForm | undefined;
    for (const unit of WRITING_UNITS) {
      const correspondent = await signInOverHttp(options.base, `${unit}-c1`);
      const own = await formOf(correspondent);
      form ??= own;
      writers.push({ correspondent, lead: await signInOverHttp(options.base, `${unit}-lead`), authorId: own.authorId, uploads: new Semaphore(UPLOAD_LIMITS.perAccount) });
    }
    const choices = { categoryId: form!.options.categories[0].id, channelId: form!.options.channels[0].id, today: form!.today };
    return new Filing(new URL(options.base).origin, options.send, options.reviewer, writers, choices, options.unexpected);
  }

  private post(body: FormData | URLSearchParams): RequestInit {
    return { method: "POST", body, headers: { Origin: this.origin } };
  }

  /** Today as the portal's item form gives it (yyyy-mm-dd, Asia/Shanghai). */
  get today(): string {
    return this.form.today;
  }

  /** A correspondent submits an item with a photo; it then waits for its lead. */
  async submit(): Promise<void> {
    const n = ++this.submissions;
    const writer = this.writers[n % this.writers.length];
    const form = new FormData();
    form.set("title", `城关镇中心学校压力测试稿件第${n}篇`);
    form.set("body", `第${n}篇：本校组织开展校园安全教育活动，全体师生参加。\n活动内容丰富，效果良好。`);
    form.set("category_id", String(this.form.categoryId));
    form.set("channel_id", String(this.form.channelId));
    form.set("event_date", this.form.today);
    form.append("bylines", String(writer.authorId));
    form.set("confidential_checked", "1");
    form.set("intent", "submit");
    form.set("photo_1", new Blob([new Uint8Array(await smallJpeg(n))], { type: "image/jpeg" }), `photo-${n}.jpg`);
    form.set("caption_1", `活动现场${n}`);
    const res = await writer.uploads.run(() =>
      this.#uploads.run(() => this.send(FILING.submit, writer.correspondent, "/items/new", this.post(form))),
    );
    const id = /^\/items\/(\d+)$/.exec(res?.location ?? "")?.[1];
    if (id) this.toSignOff.push({ id: Number(id), writer });
    else if (res && (res.status === 302 || res.status === 303)) this.unexpected(FILING.submit, `报送后跳转到意外的地址：${res.location}`);
  }

  /** The lead of the oldest waiting item reads it and signs it off; false when none waits. */
  async signOff(): Promise<boolean> {
    const next = this.toSignOff.shift();
    if (next === undefined) return false;
    const { id, writer } = next;
    const data = await this.send(FILING.readBeforeSignOff, writer.lead, dataUrl(`/items/${id}`, "routes/items.$id"));
    const version = await versionFrom(data, "routes/items.$id");
    if (version === undefined) return true;
    const res = await this.send(FILING.signOff, writer.lead, `/items/${id}`, this.post(new URLSearchParams({ intent: "sign_off", version: String(version) })));
    if (res && res.status === 302) this.toReview.push(id);
    return true;
  }

  /** The reviewer reads the oldest signed-off item and adopts it; false when none waits. */
  async adopt(): Promise<boolean> {
    const id = this.toReview.shift();
    if (id === undefined) return false;
    const data = await this.send(FILING.readBeforeReview, this.reviewer, dataUrl(`/review/${id}`, "routes/review.$id"));
    const version = await versionFrom(data, "routes/review.$id");
    if (version === undefined) return true;
    await this.send(FILING.adopt, this.reviewer, `/review/${id}`, this.post(new URLSearchParams({ intent: "adopt", grade: "good", version: String(version) })));
    return true;
  }
}
