// Agents (代办员) by name (GET /api/agents): a project's agent is shown as the person, the account id kept
// small beside it; the registration and the hand-over offer the agents by name to pick from. The field
// still takes an account id typed by hand (an agent signed in through the identity provider may not be in
// the principals file's list), and the server checks it either way.
import { AutoComplete, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, unwrap } from '../api/client';
import type { Schemas } from '../api/types';

type Agent = Schemas['AgentEntry'];

// One read per page load: the list is the principals file's, the same for everyone who may read it. A
// failure (a role that may not read it, the network) is not kept, so the next page asks again.
let agents: Promise<Agent[]> | undefined;
function readAgents(): Promise<Agent[]> {
  agents ??= unwrap(api.GET('/api/agents')).then(
    (a) => a.agents,
    () => {
      agents = undefined;
      return [];
    },
  );
  return agents;
}

/** The agents by id; empty until they are read (or when this person may not read them). */
export function useAgents(): Map<string, Agent> {
  const [byId, setById] = useState<Map<string, Agent>>(new Map());
  useEffect(() => {
    let live = true;
    void readAgents().then((list) => live && setById(new Map(list.map((a) => [a.id, a]))));
    return () => {
      live = false;
    };
  }, []);
  return byId;
}

/** An agent as a person reads it: the name, with the account id small beside it; the id alone if unknown. */
export function AgentName({ id }: { id: string }) {
  const agent = useAgents().get(id);
  if (!agent || agent.name === id) return <span>{id}</span>;
  return (
    <span>
      {agent.name}{' '}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {id}
      </Typography.Text>
    </span>
  );
}

/** The name of an agent, or its id when the list does not name it (for sentences: "已移交给 李娜"). */
export function useAgentName(): (id: string) => string {
  const byId = useAgents();
  return (id) => byId.get(id)?.name ?? id;
}

/** A form control for an agent's account id: the agents offered by name (searched by name or id). */
export function AgentInput({ value, onChange, id, placeholder }: { value?: string; onChange?: (value: string) => void; id?: string; placeholder?: string }) {
  const byId = useAgents();
  const chosen = value ? byId.get(value.trim()) : undefined;
  const options = [...byId.values()].map((a) => ({
    value: a.id,
    search: `${a.name} ${a.id}`.toLowerCase(),
    label: (
      <span>
        {a.name}{' '}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {a.id}
        </Typography.Text>
      </span>
    ),
  }));
  return (
    <>
      <AutoComplete
        id={id}
        value={value}
        onChange={(v: string) => onChange?.(v)}
        options={options}
        placeholder={placeholder}
        maxLength={100}
        showSearch={{ filterOption: (input, option) => !input || (option?.search ?? '').includes(input.trim().toLowerCase()) }}
      />
      {chosen && chosen.name !== chosen.id && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {chosen.name}
        </Typography.Text>
      )}
    </>
  );
}
