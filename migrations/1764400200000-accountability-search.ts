import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Search for "who is accountable for X?": a weighted `simple` tsvector of segmented Chinese text
 * per item row (filled by the application, which segments), trigram text for longer terms, and
 * the synonym table an ADMIN extends without a release. The search columns are derived index
 * data: the immutability guard lets them be recomputed on published rows, nothing else.
 */
export class AccountabilitySearch1764400200000 implements MigrationInterface {
  name = 'AccountabilitySearch1764400200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE list_item ADD COLUMN search_vector tsvector, ADD COLUMN search_text text`);
    await q.query(`CREATE INDEX list_item_search_idx ON list_item USING gin (search_vector)`);
    await q.query(`CREATE INDEX list_item_search_trgm_idx ON list_item USING gin (search_text gin_trgm_ops)`);

    await q.query(`
      CREATE OR REPLACE FUNCTION quanze_guard_list_item() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE v_status text;
      BEGIN
        IF TG_OP = 'INSERT' THEN
          IF NOT NEW.pending OR quanze_version_status(NEW.list_id, NEW.from_version) IS DISTINCT FROM 'DRAFT' THEN
            RAISE EXCEPTION 'items can only be added to a draft' USING ERRCODE = 'P0001';
          END IF;
          RETURN NEW;
        END IF;
        v_status := quanze_version_status(OLD.list_id, OLD.from_version);
        IF TG_OP = 'DELETE' THEN
          IF OLD.pending AND (v_status = 'DRAFT' OR (v_status = 'APPROVED' AND OLD.removed)) THEN RETURN OLD; END IF;
          RAISE EXCEPTION 'item % of a published version cannot be deleted', OLD.item_code USING ERRCODE = 'P0001';
        END IF;
        -- Recomputing the derived search columns changes no content.
        IF (to_jsonb(NEW) - 'search_vector' - 'search_text') = (to_jsonb(OLD) - 'search_vector' - 'search_text') THEN RETURN NEW; END IF;
        IF OLD.pending THEN
          IF NEW.pending AND v_status = 'DRAFT' THEN RETURN NEW; END IF;
          IF NOT NEW.pending AND v_status = 'APPROVED' AND (to_jsonb(NEW) - 'pending') = (to_jsonb(OLD) - 'pending') THEN RETURN NEW; END IF;
          RAISE EXCEPTION 'item % can only be changed in a draft', OLD.item_code USING ERRCODE = 'P0001';
        END IF;
        IF OLD.to_version IS NULL AND NEW.to_version IS NOT NULL
           AND (to_jsonb(NEW) - 'to_version') = (to_jsonb(OLD) - 'to_version') THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'item % of a published version is immutable', OLD.item_code USING ERRCODE = 'P0001';
      END $$`);

    await q.query(`
      CREATE TABLE search_synonym (
        term text NOT NULL,
        expansions text[] NOT NULL,
        updated_by text NOT NULL DEFAULT 'migration',
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_search_synonym" PRIMARY KEY (term)
      )`);
    const rows = Object.entries(SEED_SYNONYMS);
    await q.query(
      `INSERT INTO search_synonym (term, expansions) SELECT t, string_to_array(e, '|') FROM unnest($1::text[], $2::text[]) AS x(t, e)`,
      [rows.map(([t]) => t), rows.map(([, e]) => e.join('|'))],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE search_synonym`);
    await q.query(`DROP INDEX list_item_search_trgm_idx`);
    await q.query(`DROP INDEX list_item_search_idx`);
    await q.query(`ALTER TABLE list_item DROP COLUMN search_text, DROP COLUMN search_vector`);
  }
}

/** The starting synonym table: colloquial form → the terms lists use. ADMINs extend it at run time. */
const SEED_SYNONYMS: Record<string, string[]> = {
  违建: ['违法建设', '违章建筑'],
  违章: ['违法建设'],
  乱搭: ['违法建设', '乱搭乱建'],
  乱建: ['违法建设', '乱搭乱建'],
  搭棚: ['违法建设', '乱搭乱建'],
  棚子: ['违法建设', '乱搭乱建'],
  搭建: ['违法建设'],
  盖房: ['建房', '建住宅'],
  盖房子: ['建房', '建住宅'],
  起房子: ['建房', '建住宅'],
  翻建: ['建房', '宅基地'],
  翻盖: ['建房', '宅基地'],
  建新房: ['建房', '宅基地'],
  宅基地: ['宅基地', '建房'],
  烧地: ['秸秆焚烧', '露天焚烧'],
  烧秸秆: ['秸秆焚烧'],
  烧稻草: ['秸秆焚烧'],
  烧麦秆: ['秸秆焚烧'],
  烧麦茬: ['秸秆焚烧'],
  冒黑烟: ['焚烧', '烟尘'],
  闹翻: ['矛盾纠纷', '调解'],
  吵架: ['矛盾纠纷', '调解'],
  打架: ['矛盾纠纷', '治安'],
  闹矛盾: ['矛盾纠纷', '调解'],
  纠纷: ['矛盾纠纷', '调解'],
  分家: ['家庭纠纷', '矛盾纠纷'],
  扯皮: ['矛盾纠纷'],
  低保: ['最低生活保障'],
  吃低保: ['最低生活保障'],
  五保: ['特困人员'],
  五保户: ['特困人员'],
  困难户: ['社会救助', '临时救助'],
  生活困难: ['社会救助', '临时救助'],
  看病贵: ['医疗救助'],
  看不起病: ['医疗救助'],
  上户口: ['户口登记'],
  落户: ['户口登记'],
  户口: ['户口登记'],
  结婚: ['婚姻登记'],
  领证: ['婚姻登记'],
  离婚: ['婚姻登记'],
  砍树: ['林木采伐', '采伐许可证'],
  伐树: ['林木采伐', '采伐许可证'],
  山火: ['森林防火'],
  着火: ['火灾', '消防'],
  失火: ['火灾', '消防'],
  发大水: ['防汛'],
  涨水: ['防汛'],
  干旱: ['抗旱'],
  塌方: ['地质灾害'],
  滑坡: ['地质灾害'],
  泥石流: ['地质灾害'],
  埋坟: ['乱埋乱葬', '殡葬'],
  坟: ['乱埋乱葬', '殡葬'],
  土葬: ['违规土葬', '殡葬'],
  垃圾: ['生活垃圾', '人居环境'],
  倒垃圾: ['生活垃圾', '人居环境'],
  脏乱差: ['人居环境'],
  挖沙: ['河道采砂'],
  采沙: ['河道采砂'],
  偷沙: ['河道采砂'],
  河道: ['河长制', '河道'],
  养猪: ['畜禽养殖'],
  养鸡: ['畜禽养殖'],
  臭气: ['畜禽养殖', '污染'],
  猪粪: ['畜禽养殖', '污染'],
  死猪: ['死亡畜禽', '动物防疫'],
  病死猪: ['死亡畜禽', '动物防疫'],
  打疫苗: ['强制免疫', '动物防疫'],
  禽流感: ['动物防疫'],
  辍学: ['控辍保学', '义务教育'],
  不上学: ['控辍保学', '义务教育'],
  不去上学: ['控辍保学', '义务教育'],
  补课: ['校外培训'],
  补习班: ['校外培训'],
  培训班: ['校外培训'],
  摆酒: ['集体聚餐', '食品安全'],
  酒席: ['集体聚餐', '食品安全'],
  办酒: ['集体聚餐', '食品安全'],
  吃坏肚子: ['食品安全'],
  小作坊: ['食品安全'],
  煤气: ['燃气安全'],
  液化气: ['燃气安全', '瓶装燃气'],
  煤气罐: ['燃气安全', '瓶装燃气'],
  放鞭炮: ['烟花爆竹'],
  放烟花: ['烟花爆竹'],
  鞭炮: ['烟花爆竹'],
  卖烟花: ['烟花爆竹', '零售经营许可'],
  占耕地: ['违法占用耕地', '耕地保护'],
  占地: ['违法占用耕地', '非法占用土地'],
  毁田: ['耕地保护'],
  挖矿: ['非煤矿山'],
  矿山: ['非煤矿山'],
  采石: ['非煤矿山'],
  要饭: ['流浪乞讨'],
  乞丐: ['流浪乞讨'],
  流浪汉: ['流浪乞讨'],
  当兵: ['退役军人'],
  退伍: ['退役军人'],
  老兵: ['退役军人'],
  独生子女: ['计划生育', '扶助'],
  生二胎: ['人口与计划生育'],
  留守儿童: ['未成年人保护'],
  小孩: ['未成年人'],
  打农药: ['农药使用'],
  农药: ['农药使用'],
  村账: ['村务公开'],
  村干部: ['村民自治', '村务公开'],
  选举: ['村民自治'],
  承包地: ['土地承包经营纠纷', '土地承包'],
  地界: ['权属争议'],
  山林: ['林木林地权属争议', '森林'],
  排污: ['超标排放', '大气污染物'],
  冒烟: ['超标排放', '大气污染物'],
  工厂: ['生产经营单位', '排污单位'],
  厂里: ['生产经营单位', '安全生产'],
  统计: ['统计调查'],
  违法建设: ['违法建设', '违法占用耕地'],
  私搭: ['违法建设', '私搭乱建', '违章建房'],
  私搭乱建: ['违法建设', '私搭乱建', '违章建房'],
  没批: ['未批先建', '违法建设'],
  没批就盖: ['未批先建', '违法建设'],
  未经批准: ['未批先建', '违法建设'],
  砍: ['采伐'],
  喜酒: ['集体聚餐', '食品安全'],
  红白喜事: ['集体聚餐', '食品安全'],
  摆桌: ['集体聚餐', '食品安全'],
  住院: ['医疗救助'],
  大病: ['医疗救助'],
  医药费: ['医疗救助'],
  打药: ['农药使用'],
  生虫: ['农药使用', '病虫害'],
  晚一年: ['延缓入学'],
  上小学: ['入学', '义务教育'],
  入学: ['入学', '义务教育'],
  烟囱: ['超标排放', '大气污染物'],
  竹林: ['林木林地权属争议', '林地'],
  谁家的: ['权属争议'],
  救急: ['临时救助'],
  过不下去: ['临时救助', '社会救助'],
  山上着火: ['森林防火', '森林火灾'],
  上坟烧纸: ['森林防火'],
  点着: ['火灾'],
  活动室: ['公共设施', '公益事业'],
  鱼塘: ['违法占用耕地', '耕地'],
  挖塘: ['违法占用耕地', '耕地'],
  人口普查: ['统计调查'],
};
