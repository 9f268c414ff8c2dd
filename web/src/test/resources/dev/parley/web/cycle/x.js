import './y.js';
