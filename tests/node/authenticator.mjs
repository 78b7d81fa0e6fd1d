// authenticator.mjs -- the API suites' software authenticator is the one in
// the package (@rekey/kit/authenticator, kit/authenticator.mjs).
export * from "@rekey/kit/authenticator";
