/** `npm start`'s command line and environment (local/start-options.ts): strict, one line per mistake. */
import { StartUsageError, parseStartOptions, startHelp } from '../../local/start-options';
import { suggestion } from '../../cli/suggest';

describe('parseStartOptions', () => {
  it('defaults: port 8080 on 127.0.0.1, data in .scimlink, keys kept', () => {
    expect(parseStartOptions([], {})).toEqual({
      help: false, memory: false, dataDir: '.scimlink', newKeys: false, events: false, port: 8080, host: '127.0.0.1', logLevel: 'WARN',
    });
  });

  it('reads the options and the environment', () => {
    const o = parseStartOptions(['--data-dir', 'd', '--new-keys', '--events'], { PORT: '9000', HOST: '0.0.0.0', PUBLIC_URL: 'https://abc.example.dev/', LOG_LEVEL: 'INFO' });
    expect(o).toMatchObject({ dataDir: 'd', newKeys: true, events: true, port: 9000, host: '0.0.0.0', publicUrl: 'https://abc.example.dev', logLevel: 'INFO' });
    expect(parseStartOptions([], { SCIMLINK_DATA_DIR: 'x' }).dataDir).toBe('x');
  });

  it.each([
    [['--memroy'], {}, "unknown option '--memroy' (did you mean --memory?); see npm start -- --help"],
    [['--new-key'], {}, "unknown option '--new-key' (did you mean --new-keys?)"],
    [['--frobnicate'], {}, "unknown option '--frobnicate'; see npm start -- --help"],
    [['--data-dir'], {}, '--data-dir needs a directory'],
    [['--data-dir', '--memory'], {}, '--data-dir needs a directory'],
    [['--memory', '--data-dir', 'd'], {}, '--memory and --data-dir exclude each other'],
    [['extra'], {}, "Unexpected argument 'extra'"],
    [[], { PORT: 'eighty' }, "PORT must be a port number (0-65535), got 'eighty'"],
    [[], { PUBLIC_URL: 'abc.example.dev' }, "PUBLIC_URL 'abc.example.dev' is not a URL"],
    [[], { PUBLIC_URL: 'https://abc.example.dev/prefix' }, 'PUBLIC_URL must be an origin only'],
    [[], { PUBLIC_URL: 'ftp://abc.example.dev' }, 'PUBLIC_URL must start with http:// or https://'],
  ])('%j %j is refused: %s', (argv, env, message) => {
    let error: unknown;
    try {
      parseStartOptions(argv, env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StartUsageError);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('help lists every option and variable', () => {
    const help = startHelp();
    for (const word of ['--memory', '--data-dir DIR', '--new-keys', '--events', 'PORT', 'HOST', 'PUBLIC_URL', 'LOG_LEVEL', 'SCIMLINK_DATA_DIR']) expect(help).toContain(word);
  });
});

describe('suggestion', () => {
  it.each([
    ['memroy', ['memory', 'events'], 'memory'],
    ['alarmEmial', ['alarmEmail', 'stage'], 'alarmEmail'],
    ['acounts', ['accounts', 'users'], 'accounts'],
    ['STAGE', ['stage'], 'stage'],
    ['zzzzzz', ['memory', 'events'], undefined],
    ['x', [], undefined],
  ])('%s among %j → %s', (input, known, expected) => {
    expect(suggestion(input, known)).toBe(expected);
  });
});
