// Signed mail is readable and saved; encrypted and rights-protected mail is refused (RFC 8551
// §3.2 smime-type; RFC 3156 multipart/encrypted; IRM's rpmsg part).
import { describe, expect, it } from "vitest";
import { itemClassProtection, mimeProtection } from "../../../src/services/save/mime.js";

const eml = (...headers: string[]) =>
  new TextEncoder().encode([...headers, "", "body", ""].join("\r\n"));

describe("telling signed from encrypted mail", () => {
  it.each([
    ['application/pkcs7-mime; smime-type=signed-data; name="smime.p7m"', "signed"],
    ['application/pkcs7-mime; smime-type="signed-data"', "signed"],
    ['multipart/signed; protocol="application/pkcs7-signature"; boundary=b', "signed"],
    ['application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"', "encrypted"],
    ["application/x-pkcs7-mime; smime-type=authEnveloped-data", "encrypted"],
    ['application/pkcs7-mime; name="smime.p7m"', "encrypted"],
    ['multipart/encrypted; protocol="application/pgp-encrypted"; boundary=b', "encrypted"],
    ['text/plain; charset="utf-8"', "none"],
  ])("reads %s as %s", (type, expected) => {
    expect(mimeProtection(eml("Subject: x", `Content-Type: ${type}`))).toBe(expected);
  });

  it("reads a folded Content-Type header", () => {
    expect(
      mimeProtection(eml("Content-Type: application/pkcs7-mime;\r\n\tsmime-type=enveloped-data")),
    ).toBe("encrypted");
  });

  it("finds rights management by Content-Class or an rpmsg part", () => {
    expect(mimeProtection(eml("Content-Class: rpmsg.message"))).toBe("irm");
    const wrapped = new TextEncoder().encode(
      'Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: application/x-microsoft-rpmsg-message; name="message.rpmsg"\r\n\r\nxx\r\n--b--\r\n',
    );
    expect(mimeProtection(wrapped)).toBe("irm");
  });

  it("refuses by class only what the class alone can tell", () => {
    expect(itemClassProtection("IPM.Note.rpmsg.Microsoft")).toBe("irm");
    expect(itemClassProtection("IPM.Note.SMIME")).toBe("smime_unknown");
    expect(itemClassProtection("IPM.Note.SMIME.MultipartSigned")).toBe("none");
    expect(itemClassProtection("IPM.Note")).toBe("none");
    expect(itemClassProtection(undefined)).toBe("none");
  });
});
