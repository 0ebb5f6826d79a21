import { getMetadataArgsStorage } from 'typeorm';
import { SnakeNamingStrategy } from '../../src/database/snake-naming.strategy.js';
import { ALL_FIELDS, belongsTo, CONTENT_FIELDS, headersOf } from '../../src/modules/lists/item-fields.js';
import { ListItemEntity } from '../../src/modules/lists/list-item.entity.js';
import { fieldOfHeader, standardColumns } from '../../src/modules/lists/list-sheet.js';
import { LIST_KINDS } from '../../src/modules/lists/duty-list.entity.js';
import { LIST_SECTIONS } from '../../src/modules/lists/list-item.entity.js';

// The item fields' description is consistent with itself and with the entity it maps.
describe('item fields', () => {
  it('every field is a column of list_item', () => {
    const naming = new SnakeNamingStrategy();
    const columns = getMetadataArgsStorage()
      .columns.filter((c) => c.target === ListItemEntity)
      .map((c) => naming.columnName(c.propertyName, c.options.name, []));
    for (const f of ALL_FIELDS) expect([f.key, columns.includes(f.column)]).toEqual([f.key, true]);
  });

  it('diff names, labels, GraphQL fields, inputs and export places are each unique', () => {
    const unique = (xs: unknown[]) => expect(new Set(xs).size).toBe(xs.length);
    unique(CONTENT_FIELDS.map((f) => f.diff).filter(Boolean));
    unique(ALL_FIELDS.map((f) => f.label));
    unique(ALL_FIELDS.map((f) => f.graphqlField));
    unique(ALL_FIELDS.map((f) => f.inputKey).filter(Boolean));
    unique(ALL_FIELDS.map((f) => f.sheet?.order).filter(Boolean));
  });

  it('every header a field may have reads back as that field, for every kind and section it belongs to', () => {
    for (const kind of LIST_KINDS)
      for (const section of kind === 'RESPONSIBILITY' ? [null, ...LIST_SECTIONS] : [null])
        for (const f of ALL_FIELDS.filter((x) => x.sheet && x.inputKey && belongsTo(x, kind, section))) {
          const headers = headersOf(f, kind, section)!;
          expect([kind, section, headers.header, fieldOfHeader(kind, headers.header, section)]).toEqual([kind, section, headers.header, f.inputKey]);
        }
  });

  it('a section sheet reads its own headers (配合履职: 牵头部门, 乡镇配合职责)', () => {
    expect(fieldOfHeader('RESPONSIBILITY', '乡镇配合职责', 'COOPERATIVE')).toBe('townshipDuty');
    expect(fieldOfHeader('RESPONSIBILITY', '主责部门', 'COOPERATIVE')).toBe('accountableBodyName');
    expect(fieldOfHeader('RESPONSIBILITY', '收回部门', 'RECLAIMED')).toBe('accountableBodyName');
    expect(fieldOfHeader('RESPONSIBILITY', '收回部门')).toBeNull(); // not a column of the whole list
  });

  it('exports write the standard columns counties publish, in their order (other fields may come between)', () => {
    const published = {
      RESPONSIBILITY: ['事项编码', '事项名称', '清单部分', '事项描述', '实施依据', '责任主体', '配合部门及职责', '乡镇职责', '村级职责', '责任事项', '追责情形', '免责情形', '关键词'],
      POWER: ['事项编码', '事项名称', '权力类别', '子项', '权力来源', '事项描述', '实施依据', '实施主体', '承办机构', '责任事项', '追责情形', '免责情形', '关键词'],
    };
    for (const kind of LIST_KINDS) expect(standardColumns(kind).map((c) => c.header).filter((h) => published[kind].includes(h))).toEqual(published[kind]);
  });
});
