/** DER ECDSA-Sig-Value → 64-byte r‖s, to show the verifier refuses only the encoding. */
export function derToJose(der: Buffer): Buffer {
  let offset = 2 + (der[1]! & 0x80 ? der[1]! & 0x7f : 0);
  const read = () => {
    const length = der[offset + 1]!;
    const value = der.subarray(offset + 2, offset + 2 + length);
    offset += 2 + length;
    return Buffer.concat([Buffer.alloc(32), value.subarray(value[0] === 0 ? 1 : 0)]).subarray(-32);
  };
  return Buffer.concat([read(), read()]);
}
