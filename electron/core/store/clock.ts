/** The engine's notion of "now", injectable so tests and reproducible exports control it. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
export const isoNow = (clock: Clock): string => clock().toISOString();
