/** What this browser is, for naming the device record: `{ browser: 'Chrome', platform: 'ChromeOS' }`. */
export function describeBrowser(ua = navigator.userAgent): {
  browser: string;
  platform: string;
  name: string;
} {
  const platform = /CrOS/.test(ua)
    ? 'ChromeOS'
    : /Android/.test(ua)
      ? 'Android'
      : /iPhone|iPad/.test(ua)
        ? 'iOS'
        : /Windows/.test(ua)
          ? 'Windows'
          : /Mac OS X/.test(ua)
            ? 'macOS'
            : /Linux/.test(ua)
              ? 'Linux'
              : 'Unknown';
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Firefox\//.test(ua)
      ? 'Firefox'
      : /Chromium\//.test(ua)
        ? 'Chromium'
        : /Chrome\//.test(ua)
          ? 'Chrome'
          : /Safari\//.test(ua)
            ? 'Safari'
            : 'Browser';
  return { browser, platform, name: `${browser} on ${platform}` };
}
