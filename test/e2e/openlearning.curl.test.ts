import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

// The seed's curl examples, run with the curl binary against a real hub over HTTP, with only
// https://www.openlearning.com replaced by PUBLIC_URL/openlearning.
const run = promisify(execFile);
const hasCurl = existsSync('/usr/bin/curl');
if (!hasCurl) console.warn('[openlearning.curl.test] skipped: /usr/bin/curl not found');

describe.runIf(hasCurl)('the OpenLearning seed, curl by curl', () => {
  let server: TestServer;
  let env: Record<string, string>;

  async function curl(...args: string[]): Promise<unknown> {
    const { stdout } = await run('curl', ['-s', ...args], { env: { ...process.env, ...env } });
    return JSON.parse(stdout);
  }

  beforeAll(async () => {
    server = await startTestServer();
    const cliEnv = {
      DATABASE_URL: server.database.url,
      SECRET_KEY: 'test-secret-key-test-secret-key-0123456789',
      LOG_LEVEL: 'warn',
    };
    const created = JSON.parse(
      (
        await runCli(
          ['institutions', 'create', '--path', 'myInstitute', '--name', 'My Institute', '--json'],
          cliEnv,
        )
      ).stdout,
    ) as { api_username: string; api_password: string };
    const student = await runCli(
      [
        'users',
        'create',
        '--email',
        'student@example.org',
        '--name',
        'Stu Dent',
        '--username',
        'student',
        '--password',
        'a sturdy pass phrase',
      ],
      cliEnv,
    );
    expect(student.code).toBe(0);
    env = {
      OL: `${server.url}/openlearning`,
      USERNAME: created.api_username,
      PASSWORD: created.api_password,
    };
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  const ol = (path: string) => `${server.url}/openlearning${path}`;
  const u = () => `${env.USERNAME}:${env.PASSWORD}`;

  it('provisions, configures and lists exactly as documented', async () => {
    expect(
      await curl(
        '-f',
        '-u',
        u(),
        ol('/api/provision/course/myNewCourse'),
        '-d',
        'title=How to Draw Horses',
        '-d',
        'category=Art',
      ),
    ).toEqual({ success: true, path: 'courses/myNewCourse', url: `${server.url}/courses/myNewCourse` });
    expect(
      await curl(
        '-f',
        '-u',
        u(),
        ol('/api/provision/class/myNewCourse'),
        '-d',
        'title=First Class',
        '-d',
        'type=open',
      ),
    ).toEqual({
      success: true,
      class: { path: 'courses/myNewCourse/Cohorts/FirstClass', title: 'First Class', type: 'open' },
    });
    expect(await curl('-f', '-u', u(), ol('/api/course/status/myNewCourse'), '-d', 'status=offline')).toEqual(
      {
        success: true,
        status: 'offline',
      },
    );
    await curl('-f', '-u', u(), ol('/api/course/status/myNewCourse'), '-d', 'status=online');
    expect(
      await curl(
        '-f',
        '-u',
        u(),
        ol('/api/course/admins/myNewCourse'),
        '-d',
        'email_address=student@example.org',
      ),
    ).toEqual({
      success: true,
    });
    expect(await curl('-f', '-u', u(), ol('/api/course/admins/myNewCourse'))).toEqual({
      admins: ['student@example.org'],
      success: true,
    });
    expect(
      await curl(
        '-f',
        '-u',
        u(),
        ol('/api/class/courses/myNewCourse/Cohorts/FirstClass'),
        '-d',
        'title=First Class',
        '-d',
        'type=open',
      ),
    ).toMatchObject({ success: true, class: { type: 'open' } });
    expect(await curl('-f', '-u', u(), ol('/api/course/classes/myNewCourse'))).toMatchObject({
      classes: [{ path: 'courses/myNewCourse/Cohorts/FirstClass', title: 'First Class' }],
      success: true,
    });
  });

  it('invites, imports and lists students as documented', async () => {
    const invite = (await curl(
      '-f',
      '-u',
      u(),
      ol('/api/institution/invite'),
      '-d',
      'institution=myInstitute',
      '-d',
      'emailAddressList=myemail@example.com,Foo Bar,A Group,Group 1',
      '-d',
      'generateAccount=true',
      '-d',
      'enrollCohorts=["myInstitute/courses/myNewCourse/cohorts/FirstClass"]',
    )) as Record<string, unknown>;
    expect(invite).toMatchObject({
      success: true,
      pendingEnrolledEmails: ['myemail@example.com'],
      unprocessedEmails: [],
    });
    const student = (await curl(
      '-f',
      '-u',
      u(),
      ol('/api/institution/invite'),
      '-d',
      'institution=myInstitute',
      '-d',
      'emailAddressList=student@example.org',
    )) as { autoEnrolledStudents: { email: string }[] };
    expect(student.autoEnrolledStudents[0]?.email).toBe('student@example.org');
    expect(
      await curl(
        '-f',
        '-u',
        u(),
        ol('/api/institution/importInformation'),
        '-d',
        'institution=myInstitute',
        '-d',
        'emailAddressList=myemail@example.com',
      ),
    ).toMatchObject({ success: true });
    // The seed's importInformation example verbatim, stray `&` included: the shell backgrounds curl with
    // only the institution field (and fails to run `-d ...`); curl -f must still succeed.
    const verbatim = await run(
      'bash',
      [
        '-c',
        'curl -s -f -u "$USERNAME:$PASSWORD" "$OL/api/institution/importInformation" -d "institution=myInstitute"& -d "emailAddressList=myemail@example.com"; wait $!',
      ],
      { env: { ...process.env, ...env } },
    );
    expect(JSON.parse(verbatim.stdout)).toMatchObject({ success: true, importedEmails: [] });
    expect(
      await curl(
        '-f',
        '-u',
        u(),
        ol('/api/class/invite/courses/myNewCourse/Cohorts/FirstClass'),
        '-d',
        'emailAddressList=myemail@example.com',
      ),
    ).toMatchObject({ success: true });
    const enrolments = (await curl(
      '-XGET',
      '-u',
      u(),
      ol('/api/institution/enrolments?institution=myInstitute'),
    )) as {
      enrolments: { email: string }[];
    };
    expect(enrolments.enrolments.map((e) => e.email)).toEqual(['student@example.org']);
    expect(
      await curl(
        '-XGET',
        '-u',
        'student@example.org:a sturdy pass phrase',
        ol('/api/institution/myCourses?institution=myInstitute'),
      ),
    ).toEqual({
      courses: [
        {
          name: 'How to Draw Horses',
          isOpen: 'open',
          url: `${server.url}/courses/myNewCourse`,
          isEnrolledIn: false,
          progress: 0,
          path: 'myInstitute/courses/myNewCourse',
          promoImage: '',
        },
      ],
      success: true,
    });
  });

  it('fails curl -f on wrong credentials, with the dialect error body', async () => {
    await expect(
      run('curl', ['-s', '-f', '-u', 'ol_nobody:nothing', ol('/api/course/classes/myNewCourse')]),
    ).rejects.toThrow();
    expect(await curl('-u', 'ol_nobody:nothing', ol('/api/course/classes/myNewCourse'))).toMatchObject({
      success: false,
      code: 'courses.invalid_credentials',
    });
  });
});
