import type { ScheduleDef } from '../src/core/schedule.js';
import communityDigest from './community-digest.js';
import communityOfficeHours from './community-office-hours.js';
import eodClosure from './eod-closure.js';
import execBrief from './exec-brief.js';
import middayFollowup from './midday-followup.js';
import middaySweep from './midday-sweep.js';
import monthlyCalibration from './monthly-calibration.js';
import morningTriage from './morning-triage.js';
import nightlyHandoff from './nightly-handoff.js';
import nightlyQa from './nightly-qa.js';
import weeklyRetro from './weekly-retro.js';

/** Every scheduled post. A new one is added here; data/schedules.json may move it or turn it off. */
export const schedules: readonly ScheduleDef[] = [
  morningTriage, middaySweep, middayFollowup, eodClosure, nightlyQa, nightlyHandoff, weeklyRetro, execBrief, communityOfficeHours, communityDigest,
  monthlyCalibration,
];
