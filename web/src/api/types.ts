// The API's shapes by name, from the generated OpenAPI types (no browser needed: tests import these).
import type { components } from './schema';

export type Schemas = components['schemas'];
export type Held = Schemas['Held'];
export type Project = Schemas['Project'];
export type ProjectSummary = Schemas['ProjectSummary'];
export type StageView = Schemas['StageView'];
export type StageClock = Schemas['StageClock'];
export type Me = Schemas['Me'];
export type DevIdentity = Schemas['DevIdentity'];
export type Registration = Schemas['Registration'];
export type Stage = StageView['stage'];
export type Party = StageView['lead'];
export type PartySignOff = Schemas['PartySignOff'];
export type Reports = Schemas['Reports'];
export type ProgressReport = Schemas['ProgressReport'];
export type Correction = Schemas['Correction'];
/** A refusal by the project's workflow: its stable code and the facts it names (the API's `refusal`). */
export type Refusal = NonNullable<Schemas['Error']['refusal']>;
