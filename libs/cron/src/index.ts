export { CronPatternError, MAX_CRON_LENGTH, nextFireAfter, parseCronPattern, type CronPattern } from './cron-pattern';
export { isTimeZone, timeZones } from './time-zones';
export { instantOf, wallTime } from './wall-time';
