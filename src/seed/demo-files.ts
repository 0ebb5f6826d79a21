import { projectFile } from '../common/project-files.js';

/** The demo county's files, shipped in src/seed/demo (found from src/ or from dist/). */
export const demoFile = (name: string): string => projectFile(`src/seed/demo/${name}`);

/** Their folder (what the first-start image's key reads). */
export const demoDir = (): string => projectFile('src/seed/demo');

export const DEMO_COUNTY = '320282000000';
