import fc from 'fast-check';
import { closestNames, dice, nameCore, nameSimilarity, regionWords } from '../../src/modules/bodies/body-names.js';

// The demo county's catalogue (src/seed/demo/bodies.csv), as a county's would be.
const BODIES = [
  '宜兴市人民政府', '张渚镇人民政府', '徐舍镇人民政府', '张渚镇综合行政执法大队', '宜兴市自然资源和规划局', '宜兴市农业农村局',
  '无锡市宜兴生态环境局', '宜兴市住房和城乡建设局', '宜兴市城市管理局', '宜兴市市场监督管理局', '宜兴市应急管理局', '宜兴市公安局',
  '宜兴市卫生健康委员会', '宜兴市民政局', '宜兴市水利局', '宜兴市教育局', '宜兴市司法局', '宜兴市消防救援大队',
].map((name) => ({ name, names: [name] }));
const REGIONS = regionWords(['江苏省', '无锡市', '宜兴市']);

describe('closest body names', () => {
  it.each([
    ['宜兴市环保局', '无锡市宜兴生态环境局'],
    ['宜兴市环境保护局', '无锡市宜兴生态环境局'],
    ['宜兴市安监局', '宜兴市应急管理局'],
    ['宜兴市国土资源局', '宜兴市自然资源和规划局'],
    ['宜兴市工商局', '宜兴市市场监督管理局'],
    ['宜兴市卫计委', '宜兴市卫生健康委员会'],
    ['宜兴市城管局', '宜兴市城市管理局'],
    ['宜兴市住建局', '宜兴市住房和城乡建设局'],
    ['市公安局', '宜兴市公安局'],
    ['宜兴市消防大队', '宜兴市消防救援大队'],
    ['张渚镇政府', '张渚镇人民政府'],
  ])('suggests for %s the body %s first', (written, expected) => {
    expect(closestNames(written, BODIES, REGIONS)[0]).toBe(expected);
  });

  it('suggests nothing for a name unlike every body', () => {
    expect(closestNames('中国人民银行宜兴支行', BODIES, REGIONS)).toEqual([]);
  });

  it('finds a body through a recorded alias', () => {
    const withAlias = [...BODIES, { name: '宜兴市行政审批局', names: ['宜兴市行政审批局', '宜兴市政务服务管理办公室'] }];
    expect(closestNames('宜兴政务服务办', withAlias, REGIONS)[0]).toBe('宜兴市行政审批局');
  });

  it('reads region names with and without their ending, and today’s names whole', () => {
    expect(REGIONS).toEqual(expect.arrayContaining(['无锡市', '无锡', '宜兴市', '宜兴', '江苏省', '江苏']));
    expect(nameCore('无锡市宜兴生态环境局', REGIONS)).toBe('生态环境局');
    expect(nameCore('宜兴市自然资源和规划局', REGIONS)).toBe('自然资源和规划局');
    expect(nameCore('宜兴市规划局', REGIONS)).toBe('自然资源和规划局');
  });

  it('is symmetric, 1 on itself and within 0…1 (property)', () => {
    const name = fc.stringMatching(/^[宜兴市环保局生态境规划公安镇人民政府委员会大队]{1,12}$/);
    fc.assert(
      fc.property(name, name, (a, b) => {
        const s = nameSimilarity(a, b, REGIONS);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        expect(s).toBeCloseTo(nameSimilarity(b, a, REGIONS), 10);
        expect(nameSimilarity(a, a, REGIONS)).toBe(1);
        expect(dice(a, b)).toBeCloseTo(dice(b, a), 10);
      }),
    );
  });
});
