import { Foundation1764400000000 } from './1764400000000-foundation.js';
import { VersionedLists1764400100000 } from './1764400100000-versioned-lists.js';
import { AccountabilitySearch1764400200000 } from './1764400200000-accountability-search.js';
import { AuditTrail1764400300000 } from './1764400300000-audit-trail.js';
import { ItemStorage1764400400000 } from './1764400400000-item-storage.js';
import { TaskAdmission1796303172287 } from './1796303172287-task-admission.js';
import { LookalikeNamesAndTokenVersions1796303798929 } from './1796303798929-lookalike-names-and-token-versions.js';
import { SearchIndexState1796305456428 } from './1796305456428-search-index-state.js';
import { LeadDuty1796307363540 } from './1796307363540-lead-duty.js';
import { LawChanges1796310000000 } from './1796310000000-law-changes.js';
import { CountySettings1796313004885 } from './1796313004885-county-settings.js';
import { CountyWorkflow1796313033614 } from './1796313033614-county-workflow.js';
import { DiscardDrafts1796313000000 } from './1796313000000-discard-drafts.js';
import { ReclaimedItemFields1796313100000 } from './1796313100000-reclaimed-item-fields.js';
import { HonestTime1796313072714 } from './1796313072714-honest-time.js';
import { CountyViews1796313128868 } from './1796313128868-county-views.js';
import { QuestionLog1796313200000 } from './1796313200000-question-log.js';
import { ItemSearch1796313350000 } from './1796313350000-item-search.js';
import { ItemSearchFunctions1796313360000 } from './1796313360000-item-search-functions.js';

/** Every migration in order; imported by the data source so the same list runs from source (tests) and from dist. */
export const migrations = [
  Foundation1764400000000, VersionedLists1764400100000, AccountabilitySearch1764400200000, AuditTrail1764400300000, ItemStorage1764400400000,
  TaskAdmission1796303172287, LookalikeNamesAndTokenVersions1796303798929, SearchIndexState1796305456428, LeadDuty1796307363540,
  LawChanges1796310000000,
  DiscardDrafts1796313000000, CountySettings1796313004885, CountyWorkflow1796313033614, HonestTime1796313072714, ReclaimedItemFields1796313100000,
  CountyViews1796313128868,
  QuestionLog1796313200000,
  ItemSearch1796313350000,
  ItemSearchFunctions1796313360000,
];
