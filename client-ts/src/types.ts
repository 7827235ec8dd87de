// The small public types every layer uses; this file imports nothing, so that it can sit below all of them.

/** Where the native code runs. */
export type Mode = 'in-process' | 'pipe';

/**
 * Which of 64-bit Windows' two registry views a key is opened in: 64 (a 64-bit program's) or 32 (a 32-bit program's,
 * where most of HKLM\Software and HKCR's class keys are the ones under Wow6432Node), as KEY_WOW64_64KEY and
 * KEY_WOW64_32KEY do. The hive store keeps both views in one prefix, as Wine does, and defaults to 64.
 */
export type RegistryView = 32 | 64;
