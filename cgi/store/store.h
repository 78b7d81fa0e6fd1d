/* store/store.h -- state without HTTP: accounts, sessions, WebAuthn
 * ceremonies, codes, holds, cases, second factors, the evidence vault,
 * reset flows, face checks, reviewers. Calls base/ only, never upward. */
#ifndef REKEY_STORE_H
#define REKEY_STORE_H
#include "../base/base.h"
#include "account.h"
#include "session.h"
#include "webauthn.h"
#include "codes.h"
#include "holds.h"
#include "cases.h"
#include "tools.h"
#include "vault.h"
#include "resetflow.h"
#include "face.h"
#include "reviewers.h"
#include "recovery.h"
#include "dispute.h"
#include "password.h"
#endif
