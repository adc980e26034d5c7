/**
 * A certificate for `receiver.test` that no CA signed, valid 2000-2100, for tests that need TLS
 * verification to fail. Generated once with `openssl ca -selfsign`; the key is a test key.
 */
export const SELF_SIGNED_RECEIVER_CERTIFICATE = {
  hostname: 'receiver.test',
  key: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgK4mHXyVF4ikKscFA
sN8D0CLk3WshQzwQ7NcpWaqEtjyhRANCAASzTuTBO5+ioDLcpuXsMqmsCxmRBklw
AbJBv1MS/QRZif80W0aj/vGbkaU2/wqM9YX++Ez3PBYf2He6lzEklrNN
-----END PRIVATE KEY-----
`,
  cert: `-----BEGIN CERTIFICATE-----
MIIBajCCARCgAwIBAgIBATAKBggqhkjOPQQDAjAYMRYwFAYDVQQDDA1yZWNlaXZl
ci50ZXN0MCAXDTAwMDEwMTAwMDAwMFoYDzIxMDAwMTAxMDAwMDAwWjAYMRYwFAYD
VQQDDA1yZWNlaXZlci50ZXN0MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEs07k
wTufoqAy3Kbl7DKprAsZkQZJcAGyQb9TEv0EWYn/NFtGo/7xm5GlNv8KjPWF/vhM
9zwWH9h3upcxJJazTaNJMEcwGAYDVR0RBBEwD4INcmVjZWl2ZXIudGVzdDAMBgNV
HRMBAf8EAjAAMB0GA1UdDgQWBBSY79vAq+clniXKqd1hsTNuueVrhDAKBggqhkjO
PQQDAgNIADBFAiAIefcMvvsGUwliyAgPcwqqKHmLy3JDH0VvHlGcpOrpJAIhAKDz
JPISrq/3n1yevoLNB8o8TuPotSfAoJJhyf2Vcw8B
-----END CERTIFICATE-----
`,
};
