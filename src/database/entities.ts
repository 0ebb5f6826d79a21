import { UserEntity } from '../auth/user.entity.js';
import { TaskRequestEntity, TaskTargetEntity } from '../modules/admission/task-request.entity.js';
import { AuditEventEntity } from '../modules/audit/audit-event.entity.js';
import { SearchSynonymEntity } from '../modules/accountability/search-synonym.entity.js';
import { BodyAliasEntity } from '../modules/bodies/body-alias.entity.js';
import { BodyEntity } from '../modules/bodies/body.entity.js';
import { CountySettingEntity } from '../modules/counties/county-setting.entity.js';
import { InstrumentVersionEntity } from '../modules/legal/instrument-version.entity.js';
import { LegalInstrumentEntity } from '../modules/legal/legal-instrument.entity.js';
import { ProvisionEntity } from '../modules/legal/provision.entity.js';
import { DutyListEntity } from '../modules/lists/duty-list.entity.js';
import { ItemCitationEntity } from '../modules/lists/item-citation.entity.js';
import { ListItemEntity } from '../modules/lists/list-item.entity.js';
import { ListVersionEntity } from '../modules/lists/list-version.entity.js';
import { RegionEntity } from '../modules/regions/region.entity.js';

/** Every entity, in one list shared by the app, the CLI and the tests. */
export const entities = [
  RegionEntity,
  BodyEntity,
  BodyAliasEntity,
  LegalInstrumentEntity,
  InstrumentVersionEntity,
  ProvisionEntity,
  UserEntity,
  DutyListEntity,
  ListVersionEntity,
  ListItemEntity,
  ItemCitationEntity,
  SearchSynonymEntity,
  AuditEventEntity,
  TaskRequestEntity,
  TaskTargetEntity,
  CountySettingEntity,
];
