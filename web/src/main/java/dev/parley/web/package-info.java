/**
 * The web client as data: {@link dev.parley.web.WebAssets} reads the client's files from the
 * classpath, gives each a content-hashed name and rewrites the references between them, so the
 * gateway can serve everything but {@code index.html} as immutable. No Node.js is involved: the
 * client is plain JavaScript modules and CSS, processed by this small Java step when the server
 * starts.
 */
@NullMarked
package dev.parley.web;

import org.jspecify.annotations.NullMarked;
