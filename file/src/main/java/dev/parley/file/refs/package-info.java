/**
 * Who uses a file (design.md 11.3, 11.5, 11.6): message references taken and released inside the
 * message service's transactions, the access decision for downloads and attachments, and the
 * janitor that deletes blobs nothing references any more.
 */
@NullMarked
package dev.parley.file.refs;

import org.jspecify.annotations.NullMarked;
