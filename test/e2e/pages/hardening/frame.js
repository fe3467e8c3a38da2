// Posts to the parent every message given in the URL hash (a JSON array), as a hostile frame
// would, then a marker so the test knows they were all sent.
const messages = JSON.parse(decodeURIComponent(location.hash.slice(1)) || '[]');
for (const message of messages) parent.postMessage(message, '*');
parent.postMessage('frame-done', '*');
