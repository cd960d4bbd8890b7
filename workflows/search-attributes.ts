// The custom search attributes a project keeps current, for listing and for admins hunting stuck cases.
// Registered by the dev server at start (temporal/dev-server.ts) and on a cluster by temporal/setup.ts.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const ProjectStage = defineSearchAttributeKey('ProjectStage', SearchAttributeType.KEYWORD);
export const ProjectStatus = defineSearchAttributeKey('ProjectStatus', SearchAttributeType.KEYWORD);
export const ProjectLocality = defineSearchAttributeKey('ProjectLocality', SearchAttributeType.KEYWORD);
export const ProjectCategory = defineSearchAttributeKey('ProjectCategory', SearchAttributeType.KEYWORD);
export const ProjectMajor = defineSearchAttributeKey('ProjectMajor', SearchAttributeType.BOOL);

export const SEARCH_ATTRIBUTES = [ProjectStage, ProjectStatus, ProjectLocality, ProjectCategory, ProjectMajor];
