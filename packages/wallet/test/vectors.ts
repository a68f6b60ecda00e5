/** The SIWE and SIWS vectors of the wallet standards notes (shared/specs/wallet-standards.md), verbatim. */

export const M_A =
  'login.xyz wants you to sign in with your Ethereum account:\n0x9D85ca56217D2bb651b00f15e694EB7E713637D4\n\nSign-In With Ethereum Example Statement\n\nURI: https://login.xyz\nVersion: 1\nChain ID: 1\nNonce: bTyXgcQxn2htgkjJn\nIssued At: 2022-01-27T17:09:38.578Z\nExpiration Time: 2100-01-07T14:31:43.952Z';
export const M_A_SIG =
  '0xdc35c7f8ba2720df052e0092556456127f00f7707eaa8e3bbff7e56774e7f2e05a093cfc9e02964c33d86e8e066e221b7d153d27e5a2e97ccd5ca7d3f2ce06cb1b';
export const M_A_DIGEST = '74dcf891d81129919bafbf454f2c1200230ee75ee618111277e5618a30c3bf7a';

export const S4 =
  'www.tally.xyz wants you to sign in with your Ethereum account:\n0xc95EB884FE852e241D409234bfC7045CB9E31BD7\n\nSign in with Ethereum to Tally\n\nURI: https://tally.xyz\nVersion: 1\nChain ID: 1\nNonce: 15050747\nIssued At: 2022-06-30T14:08:51.382Z';
export const S4_SIG =
  '0x8c46b6eb8505939892d8e9b075f89f8277321b17b993151f37810cdda38cce6f4a85909d2b53e6a14629c74c0ac38bf4becde78ee5b2529812bf6cceaf7b2a2501';

export const M_E =
  'login.xyz wants you to sign in with your Ethereum account:\n0x2ecA0068307e706741445764A3D6A4402aC2A5a9\n\nSign-In With Ethereum Example Statement\n\nURI: https://login.xyz\nVersion: 1\nChain ID: 1\nNonce: lx2nx4so\nIssued At: 2022-01-05T14:27:30.883Z\nExpiration Time: 2021-01-05T00:00:00Z';
export const M_E_SIG =
  '0x7337bc2826c7678cd6bc84f5b3b236efc969b0451f9feca2328b1d3401b030c113f19bdba359ba3f52762c66e9147311fa95fe598a1a4ec9bb383a7b4e3874241b';

export const M_N =
  'login.xyz wants you to sign in with your Ethereum account:\n0xE6D3Aa1F561A215E5eb1f02Ba8705385F03fCaFB\n\nSign-In With Ethereum Example Statement\n\nURI: https://login.xyz\nVersion: 1\nChain ID: 1\nNonce: lx2nx4so\nIssued At: 2022-01-05T14:27:30.883Z\nNot Before: 2100-01-07T14:31:43.952Z';
export const M_N_SIG =
  '0xc2539ace78f13c7eb8c0852d38d269a6f97bebd9f7872097d2e3137b541f8bf50176062a46eeea83086bd2721423fb5755a932ff6ccc046ed482d14e4576042f1c';

export const M_W =
  'login.xyz wants you to sign in with your Ethereum account:\n0x6Da01670d8fc844e736095918bbE11fE8D564163\n\nSign-In With Ethereum Example Statement\n\nURI: https://login.xyz\nVersion: 1\nChain ID: 1\nNonce: rmplqh1gf\nIssued At: 2022-01-05T14:31:43.954Z\nExpiration Time: 2100-01-07T14:31:43.952Z';
export const M_W_WRONG_SIG =
  '0x31df81dc02344c9156e6f71da46e2db624b38f8f806290d670d46492b834b2e7575cbce9f48169356cfb577b910d8e30732fcf23c1ac0021d08b945ed7ee118e1b';
export const M_W_MALFORMED_SIG =
  '0xf2e8420fc1b722bf4941f5a0464f98172a758ceda5039f622e425fb69fd19b20e444bba7c9a8a8d7e2b5e453553efe7c9460be5d211abe473fc146d51bb04d0cb1b';

function m8(address: string, nonce: string, times: string): string {
  return `login.xyz wants you to sign in with your Ethereum account:\n${address}\n\nSign-In With Ethereum Example Statement\n\nURI: https://login.xyz\nVersion: 1\nChain ID: 1\nNonce: ${nonce}\n${times}`;
}
/** S-8: semantically invalid dates, each with its signature. */
export const S8 = [
  {
    name: 'invalid issuedAt',
    message: m8(
      '0xA0aEF081D1ACE5F830532d7D77Ea4c8EE0EaBCF9',
      'bTyXgcQxn2htgkjJn',
      'Issued At: 2022-02-31T17:09:38.578Z',
    ),
    signature:
      '0x9e837df8b56f6e0cac9b4dce52074c352a4143932b442b973963ed2f7b9987146c8e546e5662867198ec0ae9bdb2e87ffaee528375dac7bf003883714ff732701b',
  },
  {
    name: 'invalid notBefore',
    message: m8(
      '0xA2ce2B71d77983918C8388c47576ad77E339B2F9',
      'bTyXgcQxn2htgkjJn',
      'Issued At: 2022-01-30T17:09:38.578Z\nExpiration Time: 2100-01-07T14:31:43.952Z\nNot Before: 2025-02-31T17:09:38.578Z',
    ),
    signature:
      '0xa741355d0cfa938f45e9137d3b1f362e06961d2f35e01bad794b1f35d7d3e4fc5fd610d28d1b1236fdc305ec05c62b83cade54b49e221adf62e116b0c3a96f531b',
  },
  {
    name: 'invalid expirationTime',
    message: m8(
      '0xeE5A13CfAC109487d56F9186241009Dd9A7b4Ad4',
      'bTyXgcQxn2htgkjJn',
      'Issued At: 2022-01-30T17:09:38.578Z\nExpiration Time: 2100-02-31T14:31:43.952Z',
    ),
    signature:
      '0x5cbe6e6735e7b5818da08890363d6154edf73593db692b64adaea9c1186712a72244971284377d2fed8286b69dafc3cf964cb4e05a8e8d07c1a6f4ede8d9470e1c',
  },
];

const SERVICE_TAIL = '\nVersion: 1\nChain ID: 1\nNonce: 32891757\nIssued At: 2021-09-30T16:25:24.000Z';
const SERVICE_BODY =
  '\n0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2\n\nI accept the ServiceOrg Terms of Service: https://service.org/tos\n\nURI: ';
const header = (domain: string) => `${domain} wants you to sign in with your Ethereum account:`;
/** S-9: messages that parse and rebuild to the same text. */
export const S9 = [
  'service.org wants you to sign in with your Ethereum account:\n0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2\n\nI accept the ServiceOrg Terms of Service: https://service.org/tos\n\nURI: https://service.org/login\nVersion: 1\nChain ID: 1\nNonce: 32891757\nIssued At: 2021-09-30T16:25:24.000Z\nResources:\n- ipfs://Qme7ss3ARVgxv6rXqVPiikMJ8u2NLgmgszg13pYrDKEoiu\n- https://example.com/my-web2-claim.json',
  'service.org wants you to sign in with your Ethereum account:\n0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2\n\n\nURI: https://service.org/login\nVersion: 1\nChain ID: 1\nNonce: 32891757\nIssued At: 2021-09-30T16:25:24.000Z',
  'https://example.com wants you to sign in with your Ethereum account:\n0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2\n\nI accept the ExampleOrg Terms of Service: https://example.com/tos\n\nURI: https://example.com/login\nVersion: 1\nChain ID: 1\nNonce: 32891756\nIssued At: 2021-09-30T16:25:24Z',
  ...[
    '127.0.0.1',
    'test@127.0.0.1',
    '127.0.0.1:8080',
    'localhost:8080',
    'test@127.0.0.1:8080',
    '[::cafe]',
  ].map((domain) => `${header(domain)}${SERVICE_BODY}https://service.org/login${SERVICE_TAIL}`),
  ...[
    'https://[::cafe]',
    'https://127.0.0.1',
    'https://127.0.0.1:4361',
    'https://127.0.0.1/?query=one#begin',
  ].map((uri) => `${header('service.org')}${SERVICE_BODY}${uri}${SERVICE_TAIL}`),
  `${header('service.org')}${SERVICE_BODY}https://service.org/login${SERVICE_TAIL.replace('Chain ID: 1', 'Chain ID: 4')}`,
  `${header('service.org')}${SERVICE_BODY}https://service.org/login${SERVICE_TAIL.replace('.000Z', 'Z')}`,
  `${header('service.org')}${SERVICE_BODY}https://service.org/login${SERVICE_TAIL.replace('.000Z', '-02:00')}`,
];

/** S-10 base message N0 (well-formed). */
export const N0 =
  'service.org wants you to sign in with your Ethereum account:\n0xe5A12547fe4E872D192E3eCecb76F2Ce1aeA4946\n\nI accept the ServiceOrg Terms of Service: https://service.org/tos\n\nURI: https://service.org/login\nVersion: 1\nChain ID: 1\nNonce: 12341234\nIssued At: 2022-03-17T12:45:13.610Z\nExpiration Time: 2023-03-17T12:45:13.610Z\nNot Before: 2022-03-17T12:45:13.610Z\nRequest ID: some_id\nResources:\n- https://service.org/login';

const NON_ISO = 'Wed Oct 05 2011 16:48:00 GMT+0200 (CEST)';
const lines = N0.split('\n');
const withLine = (index: number, line: string) => lines.map((l, i) => (i === index ? line : l)).join('\n');
const swapped = (a: number) =>
  lines.map((l, i) => (i === a ? lines[a + 1] : i === a + 1 ? lines[a] : l)).join('\n');
/** S-10: changes to N0, each of which must be refused. */
export const S10: [string, string][] = [
  [
    'address not EIP-55',
    N0.replace('0xe5A12547fe4E872D192E3eCecb76F2Ce1aeA4946', '0xe5a12547fe4e872d192e3ececb76f2ce1aea4946'),
  ],
  ['nonce with less then 8 chars', N0.replace('Nonce: 12341234', 'Nonce: 1234567')],
  ['version not 1', N0.replace('Version: 1', 'Version: 3')],
  ['not a valid chainId', N0.replace('Chain ID: 1', 'Chain ID: ?')],
  ['statement has line break', N0.replace('Service: ', 'Service: \n')],
  ['domain not RFC4501 authority', N0.replace('service.org wants', '#notrfc4501 wants')],
  ['missing domain', N0.replace('service.org wants', ' wants')],
  ['uri is non-RFC 3986', N0.replace('URI: https://service.org/login', 'URI: :not_a_rfc3986_valid_uri_')],
  [
    'first resource not-RFC 3986',
    `${N0.replace('- https://service.org/login', '- :not_a_rfc3986_valid_uri_')}\n- https://service.org/login`,
  ],
  ['second resource is not-RFC3986', `${N0}\n- :not_a_rfc3986_valid_uri_`],
  [
    'resources not separated by line break',
    N0.replace('- https://service.org/login', '- https://service.org/login - https://service.org/login/2'),
  ],
  ['non-ISO 8601 issuedAt', N0.replace('Issued At: 2022-03-17T12:45:13.610Z', `Issued At: ${NON_ISO}`)],
  [
    'non-ISO 8601 expirationTime',
    N0.replace('Expiration Time: 2023-03-17T12:45:13.610Z', `Expiration Time: ${NON_ISO}`),
  ],
  ['non-ISO 8601 notBefore', N0.replace('Not Before: 2022-03-17T12:45:13.610Z', `Not Before: ${NON_ISO}`)],
  // "missing X": the line's content removed, leaving an empty line; "out of order X": two lines swapped.
  ...lines.flatMap((line, i): [string, string][] =>
    line === '' || i === 3 ? [] : [[`missing line ${i + 1} (${line.slice(0, 12)})`, withLine(i, '')]],
  ),
  ...[5, 6, 7, 8, 9, 10, 11, 12].map((i): [string, string] => [
    `out of order lines ${i + 1}/${i + 2}`,
    swapped(i),
  ]),
];

/** EIP-55 vectors (erc-55.md), all valid checksums. */
export const EIP55 = [
  '0x52908400098527886E0F7030069857D2E4169EE7',
  '0x8617E340B3D01FA5F11F306F4090FD50E238070D',
  '0xde709f2102306220921060314715629080e2fb77',
  '0x27b1fdb04752bbc536007a920d24acb045561c26',
  '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
  '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
  '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
  '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
];

export const HARDHAT_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
export const HARDHAT_ADDRESS = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
export const HELLO_DIGEST = 'd9eba16ed0ecae432b71fe008c98cc872bb4cc214d3220a36f365326cf807d68';
export const HELLO_SIG =
  '0xa461f509887bd19e312c0c58467ce8ff8e300d3c1a90b608a760c5b80318eaf15fe57c96f9175d6cd4daad4663763baa7e78836e067d0163e9a2ccf2ff753f5b1b';
export const ERC6492_WRAPPED =
  '0x000000000000000000000000cafebabecafebabecafebabecafebabecafebabe000000000000000000000000000000000000000000000000000000000000006000000000000000000000000000000000000000000000000000000000000000a00000000000000000000000000000000000000000000000000000000000000004deadbeef000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000041a461f509887bd19e312c0c58467ce8ff8e300d3c1a90b608a760c5b80318eaf15fe57c96f9175d6cd4daad4663763baa7e78836e067d0163e9a2ccf2ff753f5b1b000000000000000000000000000000000000000000000000000000000000006492649264926492649264926492649264926492649264926492649264926492';

/** SIWS text-only vectors (wallet-standard signIn tests). */
export const SIWS_TEXT = [
  'solana.com wants you to sign in with your Solana account:\nA',
  'solana.com wants you to sign in with your Solana account:\nA\n\nS',
  'solana.com wants you to sign in with your Solana account:\nA\n\nS\n\nS',
  'solana.com wants you to sign in with your Solana account:\nA\n\nURI: https://solana.com',
  'solana.com wants you to sign in with your Solana account:\nA\n\nS\n\nURI: https://solana.com',
  'solana.com wants you to sign in with your Solana account:\nA\n\nS\n\nS\n\nURI: https://solana.com',
];

export const W1 =
  'login.xyz wants you to sign in with your Solana account:\nHdNrHhbvY1FM79T7tSDAu9D7sy5gNEqJvqGe7BrBkio9\n\nSign-In With Solana Example Statement\n\nURI: https://login.xyz\nVersion: 1\nChain ID: 1\nNonce: bTyXgcQxn2htgkjJn\nIssued At: 2022-01-27T17:09:38.578Z\nExpiration Time: 2100-01-07T14:31:43.952Z';
export const W1_PK = 'HdNrHhbvY1FM79T7tSDAu9D7sy5gNEqJvqGe7BrBkio9';
export const W1_SIG =
  '3XnLTn7ro1BGdRBNakwdMMmXrE3o4g8sBVQZpboD3T4AbnrzMgwM1AypJTPrp1qt2DBDxt3vDfdzwzupNkHPdVbj';
export const W2 = W1.replace('\nExpiration Time: 2100-01-07T14:31:43.952Z', '');
export const W2_SIG =
  '22ACJ9Y3ypH8vo3zV5vy7dp9S3oZWAXzbxsohHL9bw24M6XjKo1Ti5ZkgKmP2R3Jq5Wks4R1Eq41dB6SXF8NMC6G';
export const W_NEG_PK = 'CmLUAWWixFNZb4ZruXzn7Mu9roAt82jK3hPeybUQQ6NT';
const wNeg = (nonce: string, issuedAt: string, expiration: string) =>
  W1.replace('login.xyz wants', 'signin.io wants')
    .replace(W1_PK, W_NEG_PK)
    .replace('URI: https://login.xyz', 'URI: https://signin.io')
    .replace('Nonce: bTyXgcQxn2htgkjJn', `Nonce: ${nonce}`)
    .replace('Issued At: 2022-01-27T17:09:38.578Z', `Issued At: ${issuedAt}`)
    .replace('Expiration Time: 2100-01-07T14:31:43.952Z', `Expiration Time: ${expiration}`);
export const W3 = wNeg('feswegg1', '2021-04-01T11:47:23.844Z', '2021-01-05T00:00:00Z');
export const W3_SIG =
  '4nxtXtFgkMXe8Nj9ANPXim8zjXyUm5tXLcaj9EmbiT3yrwkg73FQsZMaU8vN6utvMXWPXCGCtHX9kLfmYL6zcMbU';
export const W4 = wNeg('wiasdflk', '2021-04-03T11:21:13.464Z', '2121-04-04T11:21:13.464Z');
export const W4_SIG =
  '56Hfu7LqK79sh6xVXic4M3vUAGfKMWL3vEN5Z3kMkzn8RvLvoHCVbXD3Eg4bnFJj846JDzimK9aFwrWJ9Sy6buQ';
export const W5 = wNeg('bTyXgcQxn2htgkjJn', '2021-04-03T16:11:13.424Z', '2121-04-04T11:21:13.464Z');
export const W6 = wNeg('asd8asdf', '2021-04-04T11:21:13.464Z', '2022-22-32T00:00:00.000Z');
export const W6_SIG =
  '5GdGGKsMZD8JciUEVEVLfxTZjbuixvSQirP9p7EdmoSbfnSapTCGiTEQ2ysiSDvnBDiWEaZjsFVdax5BJsQi1ZxY';

/** RFC 8032 §7.1 tests 1-3: seed, public key, message, signature (hex), and the key in base58. */
export const RFC8032 = [
  {
    seed: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature:
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    base58: 'FVen3X669xLzsi6N2V91DoiyzHzg1uAgqiT8jZ9nS96Z',
  },
  {
    seed: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature:
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
    base58: '586Z7H2vpX9qNhN2T4e9Utugie3ogjbxzGaMtM3E6HR5',
  },
  {
    seed: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    publicKey: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    message: 'af82',
    signature:
      '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
    base58: 'Hyx62wPQGyvXCoihZq1BrbUjBRh2LuNxWiiqMkfAuSZr',
  },
];
