/** Reported as the server version; SDKs only compare it for capabilities, which GetSystemInfo lists explicitly. */
export const SERVER_VERSION = '1.27.0-embedded';
