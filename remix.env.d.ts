/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />

// Single fetch (remix.config.js `v3_singleFetch`): loaders and actions return plain data or
// `data()`, and `useLoaderData<typeof loader>` types what turbo-stream delivers (dates stay dates).
// The export makes this file a module, so the declaration below augments Remix's types instead of
// replacing them.
export {};

declare module "@remix-run/server-runtime" {
  interface Future {
    v3_singleFetch: true;
  }
}
