module.exports = require('../rebuild-native-for-electron.cjs').afterPack;
