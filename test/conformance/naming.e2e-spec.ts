// endpoint names (docs/protocol.md#server-mode, "Naming").
import { Injectable } from '@nestjs/common';
import { GradioApi } from 'nest-gradio';
import { call, getJson, readCallStream } from '../support/protocol.js';
import { startGradioApp, type RunningApp } from '../support/start-app.js';

@Injectable()
class Duplicates {
  @GradioApi({ name: 'p' })
  first(): string {
    return 'first';
  }

  @GradioApi({ name: 'p' })
  second(): string {
    return 'second';
  }

  @GradioApi({ name: 'p_1' })
  third(): string {
    return 'third';
  }

  @GradioApi({ name: 'p' })
  fourth(): string {
    return 'fourth';
  }

  @GradioApi()
  greet(): string {
    return 'greet from Duplicates';
  }
}

@Injectable()
class MoreDuplicates {
  @GradioApi()
  greet(): string {
    return 'greet from MoreDuplicates';
  }
}

@Injectable()
class DefaultNames {
  @GradioApi()
  '<lambda>'(): string {
    return 'lambda';
  }

  @GradioApi()
  Say_$$_goodbye(): string {
    return 'goodbye';
  }

  @GradioApi()
  'keep-dashes.drop.dots!'(): string {
    return 'dashes';
  }

  @GradioApi()
  plainName(): string {
    return 'plain';
  }
}

describe('conformance: endpoint names', () => {
  let app: RunningApp;
  let apiNames: string[];
  let infoKeys: string[];

  beforeAll(async () => {
    app = await startGradioApp({}, [Duplicates, MoreDuplicates, DefaultNames]);
    const config = (await getJson(`${app.url}/config`)).json as { dependencies: { api_name: string }[] };
    apiNames = config.dependencies.map((dependency) => dependency.api_name);
    infoKeys = Object.keys(
      ((await getJson(`${app.url}/gradio_api/info`)).json as { named_endpoints: object }).named_endpoints,
    );
  });

  afterAll(async () => {
    await app?.close();
  });

  const result = async (apiName: string): Promise<string> =>
    readCallStream(app.url, apiName, await call(app.url, apiName, { data: [] }));

  it('duplicate names get _1, _2 suffixes; a taken p_1 becomes p_1_1 (test_multiple_renamed)', async () => {
    expect(apiNames.slice(0, 6)).toEqual(['p', 'p_1', 'p_1_1', 'p_2', 'greet', 'greet_1']);
    expect(infoKeys.slice(0, 6)).toEqual(['/p', '/p_1', '/p_1_1', '/p_2', '/greet', '/greet_1']);
    expect(await result('p')).toBe('event: complete\ndata: ["first"]\n\n');
    expect(await result('p_1')).toBe('event: complete\ndata: ["second"]\n\n');
    expect(await result('p_1_1')).toBe('event: complete\ndata: ["third"]\n\n');
    expect(await result('p_2')).toBe('event: complete\ndata: ["fourth"]\n\n');
    expect(await result('greet_1')).toBe('event: complete\ndata: ["greet from MoreDuplicates"]\n\n');
  });

  it('default names are the method name without punctuation except - and _ (test_api_name_set_for_all_events)', async () => {
    expect(apiNames.slice(6)).toEqual(['lambda', 'Say__goodbye', 'keep-dashesdropdots', 'plainName']);
    expect(await result('Say__goodbye')).toBe('event: complete\ndata: ["goodbye"]\n\n');
    expect(await result('keep-dashesdropdots')).toBe('event: complete\ndata: ["dashes"]\n\n');
  });
});
