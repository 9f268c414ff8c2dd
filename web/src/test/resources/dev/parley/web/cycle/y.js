import './x.js';
