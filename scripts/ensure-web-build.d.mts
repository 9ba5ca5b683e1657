/** True when web/dist/index.html exists and is newer than every source file under web/. */
export function isWebBuildFresh(): boolean;
/** Builds web/dist with Vite if it is missing or stale; resolves to true when a build ran. */
export function ensureWebBuild(): Promise<boolean>;
