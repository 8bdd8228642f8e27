import type { ExceptionRecord } from '../domain/exception-record.js';
import { peopleWithRole, type Team } from '../domain/team.js';
import { questionSeqOfScope, type AlertRecord } from '../store/alerts.js';
import { getQuestion } from '../store/community.js';
import { getExceptionBySeq } from '../store/exceptions.js';
import type { Db } from '../store/open.js';

export interface AlertSubject {
  /** "EX-00001 Globex", "CQ-00002 help question from Ada" or "the registry". */
  label: string;
  /** Who must act: the exception's recovery owner; the revenue manager for the help queue. */
  owner: string | null;
  /** False once the cause is gone (the exception closed), so the alert no longer blocks anything. */
  live: boolean;
  exception: ExceptionRecord | null;
}

/** What an alert is about, for the posts that list alerts beside each other. */
export function alertSubject(db: Db, team: Team, alert: AlertRecord): AlertSubject {
  if (alert.exceptionSeq !== null) {
    const e = getExceptionBySeq(db, alert.exceptionSeq);
    return { label: e ? `${e.id} ${e.account}` : `exception #${alert.exceptionSeq}`, owner: e?.owner ?? null, live: e?.status === 'open', exception: e };
  }
  const questionSeq = questionSeqOfScope(alert.scope);
  if (questionSeq !== null) {
    const q = getQuestion(db, questionSeq);
    const manager = peopleWithRole(team, 'revenue_manager')[0]?.name ?? 'the revenue manager';
    return { label: q ? `${q.ref} help question from ${q.askerName}` : 'a help question', owner: manager, live: q?.status === 'open', exception: null };
  }
  return { label: 'the registry', owner: null, live: true, exception: null };
}
