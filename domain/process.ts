// Who signs which stage, by project category. This is configuration: the API turns it into a per-project
// plan at registration and hands the plan to the workflow, so a later change of configuration never
// alters a project already running (a replay sees what the original run saw).
import type { Category, Department, Party, Stage, Utility } from './codes';

export interface StagePlan {
  /** 牵头部门: coordinates the stage. For connection it coordinates without signing. */
  lead: Department;
  /** Every party that must approve, in parallel (并联审批); lead first when it signs. */
  parties: Party[];
}

export type ProjectPlan = Record<Stage, StagePlan>;

export interface ProcessConfig {
  /** Default sign-offs of the department stages, lead first. */
  stages: Record<Exclude<Stage, 'connection'>, Department[]>;
  connectionLead: Department;
  /** industrial: exempt from civil-defense works, so that department drops out of every stage. */
  industrialExempt: Department[];
  /** small: simplified completion acceptance (简化竣工验收). */
  smallAcceptance: Department[];
  /** small: departments that reduce or waive their fees (小型项目费用减免). */
  smallFeeReductions: Department[];
}

export const DEFAULT_PROCESS: ProcessConfig = {
  stages: {
    design: ['planning', 'construction', 'water'],
    permit: ['construction', 'planning', 'water', 'civil-defense'],
    acceptance: ['construction', 'planning', 'civil-defense', 'water', 'greening', 'archives'],
  },
  connectionLead: 'construction',
  industrialExempt: ['civil-defense'],
  smallAcceptance: ['planning', 'construction'],
  smallFeeReductions: ['construction', 'water', 'civil-defense'],
};

/** What a category changes for a project, recorded on it for the public record. */
export function exemptionsFor(category: Category, config: ProcessConfig = DEFAULT_PROCESS): string[] {
  switch (category) {
    case 'industrial':
      return ['免配建民防工程 exempt from civil-defense works'];
    case 'small':
      return [
        '简化竣工验收 simplified completion acceptance',
        ...config.smallFeeReductions.map((d) => `费用减免 fee reduction: ${d}`),
      ];
    case 'general':
      return [];
  }
}

export function planFor(
  project: { category: Category; utilities: readonly Utility[] },
  config: ProcessConfig = DEFAULT_PROCESS,
): ProjectPlan {
  const departmentStage = (stage: Exclude<Stage, 'connection'>): StagePlan => {
    let parties: Department[] = [...config.stages[stage]];
    if (project.category === 'industrial') parties = parties.filter((d) => !config.industrialExempt.includes(d));
    if (project.category === 'small' && stage === 'acceptance') parties = [...config.smallAcceptance];
    const [lead] = parties;
    if (!lead) throw new Error(`stage ${stage} has no department for category ${project.category}`);
    return { lead, parties };
  };
  return {
    design: departmentStage('design'),
    permit: departmentStage('permit'),
    acceptance: departmentStage('acceptance'),
    connection: { lead: config.connectionLead, parties: [...new Set(project.utilities)] },
  };
}
