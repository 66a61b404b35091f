/** `scimlink check`: the surface main.ts and help.ts use (the engine stays behind it). */
export { runCheckCommand } from './command';
export type { CheckIO } from './command';
export { CHECK_SUMMARY } from './help';
export { isCheckCommand } from './options';
