import { renderPage } from '../../web/index.ts';

/** The page a person sees when a launch is refused: what failed, what to do, and a code for their teacher. */
export function launchErrorPage(input: { person: string; code: string; requestId: string }): string {
  return renderPage({
    title: 'The link from your LMS did not work',
    signedIn: undefined,
    children: (
      <>
        <h1>The link from your LMS did not work</h1>
        <p role="alert">{input.person}</p>
        <p class="muted">
          Error code <code>{input.code}</code> · reference <code>{input.requestId}</code>
        </p>
      </>
    ),
  });
}

/**
 * Login page used when the platform offers client-side storage (the LTI client-side OIDC storage profile):
 * /lti/assets/lti.js puts the state and nonce into the platform's frame by postMessage, then follows the
 * link to the platform. Without JavaScript the link still works (the cookie may be enough).
 */
export function storagePutPage(input: {
  state: string;
  nonce: string;
  authUrl: string;
  storageTarget: string;
  platformOrigin: string;
}): string {
  return renderPage({
    title: 'Signing you in',
    children: (
      <>
        <h1>Signing you in…</h1>
        <div
          id="lti"
          data-mode="put"
          data-state={input.state}
          data-nonce={input.nonce}
          data-next={input.authUrl}
          data-target={input.storageTarget}
          data-origin={input.platformOrigin}
        />
        <p>
          <a href={input.authUrl}>Continue</a>
        </p>
        <script src="/lti/assets/lti.js" />
      </>
    ),
  });
}

/** Launch page used when no state cookie came back: reads the state from the platform's storage, re-posts. */
export function storageGetPage(input: {
  action: string;
  idToken: string;
  state: string;
  storageTarget: string;
  platformOrigin: string;
}): string {
  return renderPage({
    title: 'Signing you in',
    children: (
      <>
        <h1>Signing you in…</h1>
        <div
          id="lti"
          data-mode="get"
          data-state={input.state}
          data-target={input.storageTarget}
          data-origin={input.platformOrigin}
        />
        <form id="lti-form" method="post" action={input.action}>
          <input type="hidden" name="id_token" value={input.idToken} />
          <input type="hidden" name="state" value={input.state} />
          <input type="hidden" name="lti_storage_state" value="" />
          <noscript>
            <p>This sign-in needs JavaScript because your browser blocks cookies in this frame.</p>
          </noscript>
        </form>
        <script src="/lti/assets/lti.js" />
      </>
    ),
  });
}

/** A form posted by script on load (with a button when there is no script): the deep-linking response. */
export function autoPostPage(input: {
  title: string;
  action: string;
  fields: Record<string, string>;
}): string {
  return renderPage({
    title: input.title,
    children: (
      <>
        <h1>{input.title}</h1>
        <div id="lti" data-mode="submit" />
        <form id="lti-form" method="post" action={input.action}>
          {Object.entries(input.fields).map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          <button type="submit">Continue</button>
        </form>
        <script src="/lti/assets/lti.js" />
      </>
    ),
  });
}

/**
 * The browser side of the client-side OIDC storage profile and the auto-posted forms. Served as a file
 * because the hub's CSP allows no inline script. Messages go only to the platform's origin.
 */
export const LTI_SCRIPT = `(function () {
  var el = document.getElementById('lti');
  if (!el) return;
  var d = el.dataset;
  var form = document.getElementById('lti-form');
  function storageFrame() {
    try {
      if (d.target && d.target !== '_parent' && window.parent.frames[d.target]) return window.parent.frames[d.target];
    } catch (e) {}
    return window.parent;
  }
  function send(message, done) {
    var id = 'lh-' + Math.random().toString(36).slice(2);
    message.message_id = id;
    var finished = false;
    function finish(reply) {
      if (finished) return;
      finished = true;
      window.removeEventListener('message', onMessage);
      done(reply);
    }
    function onMessage(event) {
      if (event.origin !== d.origin || !event.data || event.data.message_id !== id) return;
      finish(event.data);
    }
    window.addEventListener('message', onMessage);
    storageFrame().postMessage(message, d.origin);
    setTimeout(function () { finish(null); }, 3000);
  }
  if (d.mode === 'put') {
    send({ subject: 'lti.put_data', key: 'state_' + d.state, value: d.state }, function () {
      send({ subject: 'lti.put_data', key: 'nonce_' + d.nonce, value: d.nonce }, function () {
        window.location.replace(d.next);
      });
    });
  } else if (d.mode === 'get') {
    send({ subject: 'lti.get_data', key: 'state_' + d.state }, function (reply) {
      form.elements.lti_storage_state.value = reply && typeof reply.value === 'string' ? reply.value : '';
      form.submit();
    });
  } else if (d.mode === 'submit' && form) {
    form.submit();
  } else if (d.mode === 'close') {
    (window.opener || window.parent).postMessage({ subject: 'org.imsglobal.lti.close' }, '*');
  }
})();
`;

/** The end of a dynamic registration: tells the LMS's registration frame to close (Dynamic Registration §3.6). */
export function registeredPage(input: { name: string; clientId: string }): string {
  return renderPage({
    title: 'Learnhub is registered',
    children: (
      <>
        <h1>Learnhub is registered</h1>
        <p>
          {`${input.name} can now launch into the hub (client id ${input.clientId}). You can close this window.`}
        </p>
        <div id="lti" data-mode="close" />
        <script src="/lti/assets/lti.js" />
      </>
    ),
  });
}
